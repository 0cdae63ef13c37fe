"""Start the test provider on 127.0.0.1 and a free port; prints "READY <issuer>" when it
answers. python -m tests.oidc_provider.serve CLIENT_ID CLIENT_SECRET REDIRECT_URI"""

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
if "OP_RSA_PRIVATE_KEY" not in os.environ:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OP_RSA_PRIVATE_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()

import django  # noqa: E402

django.setup()

from wsgiref.simple_server import WSGIRequestHandler, make_server  # noqa: E402

from django.contrib.auth.models import User  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from tests.oidc_provider import PASSWORD  # noqa: E402

USERS = {
    # user name: (e-mail, first name, last name)
    "kari": ("kari@fauske.example.test", "Kari", "Nordmann"),
    "ola": ("ola@fauske.example.test", "Ola", "Nordmann"),
    "mallory": ("mallory@example.test", "Mallory", "M"),
    "wrong-aud": ("wrong-aud@example.test", "W", "A"),
    "expired": ("expired@example.test", "E", "X"),
    "bad-sig": ("bad-sig@example.test", "B", "S"),
    "wrong-nonce": ("wrong-nonce@example.test", "W", "N"),
    "unverified": ("unverified@example.test", "U", "V"),
}


class Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def main(client_id: str, secret: str, redirect_uri: str) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    for name, (email, first, last) in USERS.items():
        User.objects.create_user(
            name, email=email, password=PASSWORD, first_name=first, last_name=last
        )
    common = {
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "algorithm": Application.RS256_ALGORITHM,
        "skip_authorization": True,
        "hash_client_secret": False,
        "redirect_uris": redirect_uri,
    }
    Application.objects.create(name="app", client_id=client_id, client_secret=secret, **common)
    Application.objects.create(
        name="other", client_id="some-other-client", client_secret="x" * 40, **common
    )
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=Quiet)
    print(f"READY http://127.0.0.1:{server.server_address[1]}/o", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:4])
