"""django-oauth-toolkit's validator with misbehaviour for the tests, chosen by the user name
that logs in at the provider: every token is real and signed by the provider's key, except
where the test wants it otherwise.

   wrong-aud   the id_token is for another client (still validly signed)
   expired     the id_token expired an hour ago
   bad-sig     the id_token's signature is altered
   wrong-nonce the id_token carries another nonce
   unverified  the e-mail address is not verified
"""

import base64
import time

from oauth2_provider.oauth2_validators import OAuth2Validator


class MisbehavingValidator(OAuth2Validator):
    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": user.username != "unverified",
            "given_name": user.first_name,
            "family_name": user.last_name,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username == "expired":
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration

    def finalize_id_token(self, id_token, token, token_handler, request):
        name = request.user.username
        if name == "wrong-aud":
            id_token["aud"] = "some-other-client"
        if name == "expired":
            id_token["iat"] = int(time.time()) - 7200
        if name == "wrong-nonce":
            id_token["nonce"] = "not-the-nonce-you-sent"
        jwt = super().finalize_id_token(id_token, token, token_handler, request)
        if name == "bad-sig":
            head, body, signature = jwt.split(".")
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[0] ^= 0xFF
            jwt = ".".join([head, body, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()])
        return jwt
