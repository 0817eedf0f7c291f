"""The CLI: migrate, create-api-key (a key that then authenticates), and settings validation."""
import subprocess
import sys
from pathlib import Path

import pytest

from domain.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def run(args, env):
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_migrate_then_create_api_key_prints_a_working_key(tmp_path):
    import asyncio

    from domain.db import UnitOfWork, make_engine, make_sessionmaker
    from domain.tenancy.service import authenticate

    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    assert run(["migrate"], env).returncode == 0
    made = run(["create-api-key", "--tenant", "newsroom"], env)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("mg_") and len(key) > 40

    async def check():
        engine = make_engine(Settings.from_env({"DATA_DIR": str(tmp_path)}).database_url)
        try:
            async with UnitOfWork(make_sessionmaker(engine)) as uow:
                return await authenticate(uow.session, key), await authenticate(uow.session, key + "x")
        finally:
            await engine.dispose()

    viewer, nobody = asyncio.run(check())
    assert viewer.name == "newsroom" and nobody is None


def test_settings_read_the_documented_names(tmp_path):
    settings = Settings.from_env({
        "PORT": "9001", "DATA_DIR": str(tmp_path), "PUBLIC_BASE_URL": "https://media.example/",
        "DATABASE_URL": "postgresql://u@db/x", "REDIS_URL": "redis://r:6379/1", "STORAGE": "s3",
        "S3_ENDPOINT_URL": "http://s3", "S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_REGION": "eu-west-1", "BOOTSTRAP_API_KEY": "boot", "ALLOW_PRIVATE_URLS": "true",
    })
    assert settings.port == 9001 and settings.public_base_url == "https://media.example"
    assert settings.database_url == "postgresql+asyncpg://u@db/x" and settings.redis_url == "redis://r:6379/1"
    assert (settings.storage, settings.s3_bucket, settings.aws_region) == ("s3", "b", "eu-west-1")
    assert settings.bootstrap_api_key == "boot" and settings.allow_private_urls is True
    assert settings.embedded_workers is False
    defaults = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert defaults.port == 8000 and defaults.storage == "local" and defaults.embedded_workers is True
    assert defaults.database_url == f"sqlite+aiosqlite:///{tmp_path / 'mediagraph.db'}"
    with pytest.raises(ValueError):
        Settings.from_env({"STORAGE": "ftp"})
