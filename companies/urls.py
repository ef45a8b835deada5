from companies import views
from intel.views.pages import page_urls

app_name = "companies"

urlpatterns = page_urls("company", views.company_detail)
