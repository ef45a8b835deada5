"""The lookups behind search-as-you-type, and accounts (the search page: tests/search)."""

from __future__ import annotations

import pytest

from tests.intel.pagekit import field_errors, form_data, is_login_redirect, log_in

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------
# 15. Lookups


def test_lookup_answers_json_for_search_as_you_type(client, world):
    response = client.get("/lookup/company/?q=nv")
    assert response.status_code == 200
    assert response.json() == {"results": [{"id": world.nvidia.pk, "label": "Nvidia"}]}
    assert client.get("/lookup/company/").json() == {"results": []}
    assert client.get("/lookup/nonsense/?q=nv").status_code == 404


@pytest.mark.parametrize("query", ["n" * 10_000, "%", "_", "%_'\"\\", "' OR 1=1 --", '"><script>x</script>'])
def test_lookups_of_unsearchable_text_answer_nothing(client, world, query):
    lookup = client.get("/lookup/company/", {"q": query})
    assert lookup.status_code == 200 and lookup.json() == {"results": []}


def test_lookups_find_other_spellings_and_ids(client, world):
    assert client.get("/lookup/company/", {"q": "英伟达"}).json()["results"][0]["label"] == "Nvidia"
    assert client.get("/lookup/company/", {"q": "nvdia"}).json()["results"][0]["label"] == "Nvidia"
    claim = client.get("/lookup/claim/", {"q": str(world.revenue.pk)}).json()["results"]
    assert claim[0] == {"id": world.revenue.pk, "label": str(world.revenue)}


# ---------------------------------------------------------------------------
# 16. Accounts


def test_a_user_changes_their_password_and_logs_in_with_the_new_one(client, analyst):
    client.force_login(analyst)
    form_page = client.get("/accounts/password_change/")
    assert form_page.status_code == 200
    form = form_data(form_page)
    data = {
        **form,
        "old_password": "correct horse battery staple",
        "new_password1": "a quite different passphrase 42",
        "new_password2": "a quite different passphrase 42",
    }
    response = client.post("/accounts/password_change/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password_change/done/"
    assert "Password changed" in response.text

    client.logout()
    assert log_in(client, "ana", "correct horse battery staple").status_code == 200  # the form again, with an error
    assert log_in(client, "ana", "a quite different passphrase 42").status_code == 302
    assert client.get("/watchlist/").status_code == 200


def test_a_wrong_old_password_is_refused_next_to_the_field(client, analyst):
    client.force_login(analyst)
    data = {"old_password": "wrong", "new_password1": "another passphrase 42", "new_password2": "another passphrase 42"}
    response = client.post("/accounts/password_change/", data)
    assert response.status_code == 200
    assert field_errors(response, "old_password")
    client.logout()
    assert log_in(client, "ana", "correct horse battery staple").status_code == 302


def test_the_password_change_page_needs_a_login(client):
    assert is_login_redirect(client.get("/accounts/password_change/"), "/accounts/password_change/")
