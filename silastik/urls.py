from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Asked by nginx only (an internal location), before it takes a large back-office upload.
    path("_auth/back-office", views.back_office_check, name="back_office_check"),
    path("bahasa/", views.language_set, name="language_set"),
    path("akun/", include("silastik.users.urls")),
    # The back office's home: each person's work now and their notifications.
    path("kerja/", include("silastik.work.urls")),
    path("catalog/", include("catalog.urls")),
    path("pesanan/", include("orders.urls")),
    path("pembayaran/", include("billing.urls")),
    path("laporan/ikm/", include("feedback.report_urls")),
    path("laporan/loket/", include("desk.report_urls")),
    # An office's kiosk and queue display: /kios/3304/, /kios/3304/nilai/, /antrean/3304/.
    path("kios/<str:code>/nilai/", include("kiosk.rating_urls")),
    path("kios/", include("kiosk.urls")),
    path("antrean/", include("desk.queue_urls")),
    path("loket/pesanan/", include("desk.order_urls")),
    path("loket/", include("desk.urls")),
    path("laporan/", include("billing.report_urls")),
    path("penilaian/", include("feedback.urls")),
    path("pengaduan/", include("feedback.complaints.urls")),
    path("verifikasi/", include("silastik.verification.urls")),
    path("admin/", admin.site.urls),
]

# The error pages in the portal's layout and the visitor's language (silastik/errors_views.py).
handler400 = "silastik.errors_views.bad_request"
handler403 = "silastik.errors_views.permission_denied"
handler404 = "silastik.errors_views.page_not_found"
handler500 = "silastik.errors_views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
