"""A stand-in OIDC identity provider on 127.0.0.1: an RSA key, its JWKS over HTTP, and token minting."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://idp.example.test/"
AUDIENCE = "mediagraph-api"


class IdentityProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid="test-key", use="sig", alg="RS256")
        body = json.dumps({"keys": [jwk]}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def jwks_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/jwks.json"

    def token(self, tenant: str, *, audience: str = AUDIENCE, issuer: str = ISSUER, ttl: int = 300, key=None) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "sub": "user-1", "tenant": tenant, "iat": now, "exp": now + ttl}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": "test-key"})

    def stop(self) -> None:
        self.server.shutdown()
