"""Adds e-mail, names and the group claim to ID token and userinfo.

The groups come from a JSON file (user name → list of groups) that the test rewrites between
sign-ins, as an administrator would change group memberships in the directory.
"""

import json
import os
from pathlib import Path

from oauth2_provider.oauth2_validators import OAuth2Validator


class GroupsValidator(OAuth2Validator):
    # Like a Keycloak client scope "groups": the claim is only sent when that scope is asked for.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "groups"}

    def get_additional_claims(self, request):
        user = request.user
        groups = json.loads(Path(os.environ["OP_GROUPS_FILE"]).read_text()).get(user.username, [])
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": groups,
        }
