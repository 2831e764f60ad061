"""The token flows through the Python Elasticsearch client, unchanged: run by python-client.test.ts.

Arguments: URL, caller username, caller password, grant username, grant password. Prints one JSON object
of facts (statuses, names, counts), never a token. ELASTIC_CLIENT_APIVERSIONING=1 in the environment makes
the client send its versioned media types, as its documentation says.
"""
import json
import sys
import warnings

import elasticsearch
from elasticsearch import Elasticsearch, TransportError, Urllib3HttpConnection

url, caller, caller_password, user, password = sys.argv[1:6]
facts = {"client": elasticsearch.__versionstr__}
answered_as = set()


class RecordingConnection(Urllib3HttpConnection):
    """The client's own connection, noting the Content-Type of each answer: which media types were on the wire."""

    def perform_request(self, *args, **kwargs):
        status, headers, data = super().perform_request(*args, **kwargs)
        answered_as.add(headers.get("content-type"))
        return status, headers, data


def error_facts(error):
    info = error.info if isinstance(error.info, dict) else {}
    cause = info.get("error", {}).get("caused_by", {}) if isinstance(info.get("error"), dict) else {}
    return {"status": error.status_code, "error": error.error, "cause": cause.get("reason")}


with warnings.catch_warnings(record=True) as seen:
    warnings.simplefilter("always")
    client = Elasticsearch(url, http_auth=(caller, caller_password), connection_class=RecordingConnection)
    try:
        info = client.info()
        facts["info"] = {"number": info["version"]["number"], "tagline": info["tagline"]}
        facts["ping"] = client.ping()
        token = client.security.get_token(body={"grant_type": "password", "username": user, "password": password})
        facts["get_token"] = {"type": token["type"], "user": token["authentication"]["username"]}
        as_user = Elasticsearch(url, headers={"Authorization": "Bearer " + token["access_token"]})
        who = as_user.security.authenticate()
        facts["authenticate"] = {"username": who["username"], "authentication_type": who["authentication_type"]}
        refreshed = client.security.get_token(body={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
        facts["refresh"] = {"user": refreshed["authentication"]["username"], "new_pair": refreshed["access_token"] != token["access_token"]}
        invalidated = client.security.invalidate_token(body={"token": refreshed["access_token"]})
        facts["invalidate"] = {"invalidated_tokens": invalidated["invalidated_tokens"]}
        try:
            Elasticsearch(url, headers={"Authorization": "Bearer " + refreshed["access_token"]}).security.authenticate()
            facts["after_invalidate"] = {"status": 200}
        except TransportError as error:
            facts["after_invalidate"] = error_facts(error)
    except TransportError as error:
        facts["failed"] = error_facts(error)
    facts["answered_as"] = sorted(answered_as)
    facts["warnings"] = [str(w.message) for w in seen if issubclass(w.category, elasticsearch.ElasticsearchWarning)]

print(json.dumps(facts))
