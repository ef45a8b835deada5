"""Relations edited in the admin reach the change feed like those written through the API."""

import pytest
from django.urls import reverse

from companies.models import CompanyRelation
from companies.services import company_create
from intel.choices import Role
from intel.models import Change
from tests.factories import UserFactory
from tests.intel.pagekit import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def root():
    admin = UserFactory(username="root", role=Role.ADMIN)
    admin.is_superuser = True
    admin.save()
    return admin


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def amd_and_zt(root):
    return (
        company_create(author=root, name="AMD", slug="amd", kind="chip_vendor"),
        company_create(author=root, name="ZT Systems", slug="zt-systems", kind="system_integrator"),
    )


def _feed(client, **params) -> list[tuple[str, str, int]]:
    rows = client.get("/api/changes/", {"resource": "company-relations", **params}).json()["results"]
    return [(row["action"], row["user"], row["object_id"]) for row in rows]


def test_a_relation_added_and_deleted_in_the_admin_is_in_the_change_feed(admin_client, amd_and_zt):
    amd, zt = amd_and_zt
    admin_client.post(
        reverse("admin:companies_companyrelation_add"),
        {"subject": amd.pk, "kind": "acquired", "object": zt.pk, "note": "announced in August"},
    )
    relation = CompanyRelation.objects.get()
    assert _feed(admin_client) == [("create", "root", relation.pk)]

    admin_client.post(reverse("admin:companies_companyrelation_delete", args=[relation.pk]), {"post": "yes"})
    assert not CompanyRelation.objects.exists()
    assert _feed(admin_client) == [("create", "root", relation.pk), ("delete", "root", relation.pk)]
    # The deletion is a revision that keeps the relation's last state, as the API's history shows.
    history = admin_client.get(f"/api/company-relations/{relation.pk}/history/").json()["results"]
    assert history[0]["action"] == "delete" and history[0]["data"]["note"] == "announced in August"


def test_relations_edited_inline_on_the_company_page_are_in_the_change_feed(admin_client, amd_and_zt):
    amd, zt = amd_and_zt
    url = reverse("admin:companies_company_change", args=[amd.pk])
    data = form_data(admin_client.get(url), cls=None, id="company_form")
    prefix = "relations_out"
    data.update({f"{prefix}-0-kind": "acquired", f"{prefix}-0-object": str(zt.pk), f"{prefix}-TOTAL_FORMS": "1"})
    assert admin_client.post(url, data).status_code == 302
    relation = CompanyRelation.objects.get()
    assert _feed(admin_client) == [("create", "root", relation.pk)]

    data = form_data(admin_client.get(url), cls=None, id="company_form")
    data[f"{prefix}-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not CompanyRelation.objects.exists()
    assert _feed(admin_client)[-1] == ("delete", "root", relation.pk)
    assert Change.objects.filter(object_id=str(relation.pk), action="delete").count() == 1
