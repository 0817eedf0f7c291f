"""External-storage emulators on 127.0.0.1, each speaking its service's real protocol: moto (S3 and STS), Azurite
(Azure Blob, from npm) and gcp-storage-emulator (GCS), plus an OAuth token endpoint for service-account keys."""
from __future__ import annotations

import re
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from moto.server import ThreadedMotoServer

from tests.harness import free_port
from tests.providers import _Quiet, _Server

AZURITE = Path(__file__).resolve().parent.parent / "tools" / "azurite" / "node_modules" / "azurite" / "dist" / "src" / \
    "blob" / "main.js"
AZURE_ACCOUNT = "devstoreaccount1"
# Azurite's published development key (not a secret: every Azurite install has it).
AZURE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


class TokenEndpoint(_Server):
    """Google's OAuth token endpoint as a service-account key's token_uri reaches it: a JWT grant in, a token out."""

    def __init__(self):
        grants = self.grants = []

        class Handler(_Quiet):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                grants.append(body)
                if "assertion=" not in body:
                    return self._json(400, {"error": "invalid_grant"})
                self._json(200, {"access_token": "ya29.test-token", "expires_in": 3600, "token_type": "Bearer"})

        super().__init__(Handler)

    @property
    def token_uri(self) -> str:
        return f"{self.url}token"


class Azurite:
    def __init__(self):
        if not AZURITE.exists():
            raise RuntimeError("Azurite is not installed: run `make test` (it runs npm ci in tools/azurite)")
        self.folder = tempfile.mkdtemp(prefix="azurite-")  # its debug/extent files, if any, land here (cwd)
        self.process = subprocess.Popen(
            ["node", str(AZURITE), "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence",
             "--disableTelemetry", "--skipApiVersionCheck"], cwd=self.folder,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # Generous: under pytest-xdist each worker starts its own emulators at once, and node is slow to start on a
        # loaded 2-core machine (60 s ran out there).
        deadline = time.monotonic() + 180
        self.port = None
        waiting = selectors.DefaultSelector()
        waiting.register(self.process.stdout, selectors.EVENT_READ)
        while self.port is None and time.monotonic() < deadline and self.process.poll() is None:
            if not waiting.select(timeout=1):
                continue
            found = re.search(r"listen\w* (?:at|on) http://127\.0\.0\.1:(\d+)", self.process.stdout.readline())
            if found:
                self.port = int(found.group(1))
        # Keep draining its output so a chatty emulator never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()
        if self.port is None:
            self.stop()
            raise RuntimeError("Azurite did not start")

    @property
    def account_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{AZURE_ACCOUNT}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


class Storages:
    def __init__(self):
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
        self.moto.start()
        host, port = self.moto.get_host_and_port()
        self.s3_url = f"http://{host}:{port}"
        self.azurite = Azurite()
        from gcp_storage_emulator.server import create_server

        self.gcs_port = free_port()
        self.gcs = create_server("127.0.0.1", self.gcs_port, in_memory=True)
        self.gcs.start()
        self.tokens = TokenEndpoint()

    @property
    def gcs_url(self) -> str:
        return f"http://127.0.0.1:{self.gcs_port}"

    def env(self) -> dict:
        # The deployment's own AWS credentials: what assumes a customer's role through STS.
        return {"EXPORT_STS_ENDPOINT_URL": self.s3_url, "GCS_ENDPOINT_URL": self.gcs_url,
                "AWS_ACCESS_KEY_ID": "deployment", "AWS_SECRET_ACCESS_KEY": "deployment"}

    def stop(self) -> None:
        self.tokens.stop()
        self.gcs.stop()
        self.azurite.stop()
        self.moto.stop()


def service_account(token_uri: str, project: str = "mediagraph-test") -> dict:
    """A service-account key with a fresh RSA key (google-auth signs its JWT grant with it)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": project, "private_key_id": "test", "private_key": pem,
            "client_email": f"exporter@{project}.iam.gserviceaccount.com", "client_id": "1", "token_uri": token_uri}


def container_sas(container: str, write: bool = True) -> str:
    from datetime import datetime, timedelta, timezone

    from azure.storage.blob import ContainerSasPermissions, generate_container_sas

    return generate_container_sas(AZURE_ACCOUNT, container, account_key=AZURE_KEY,
                                  permission=ContainerSasPermissions(read=True, write=write, create=write, list=True),
                                  expiry=datetime.now(timezone.utc) + timedelta(hours=1))

