from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("daftar/", views.register, name="register"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("verifikasi/", views.verification_needed, name="verification_needed"),
    path("verifikasi/kirim-ulang/", views.verification_resend, name="verification_resend"),
    # Personal links carry their code after "#" (never sent, never logged), not in the path.
    path("verifikasi/tautan/", views.verify, name="verify"),
    path("profil/", views.profile, name="profile"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="users/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("reset/tautan/", views.password_reset_link, name="password_reset_link"),
    # Only the token-free form of Django's confirm view: the token waits in the session.
    path(
        "reset/<uidb64>/set-password/",
        views.PasswordResetConfirmView.as_view(),
        {"token": "set-password"},
        name="password_reset_confirm",
    ),
]
