from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("<int:pk>/bukti/", views.proof_upload, name="proof"),
    path("<int:pk>/kode-baru/", views.billing_code_reissue, name="reissue"),
    path("<int:pk>/kode-billing.pdf", views.billing_slip, name="slip"),
    path("unduh/<slug:kind>/<int:pk>/", views.document_download, name="document"),
    path("bukti/<int:pk>/", views.proof_view, name="proof_view"),
    path("callback/", views.payment_callback, name="callback"),
    path("simulasi-bank/", views.bank_simulation, name="bank"),
]
