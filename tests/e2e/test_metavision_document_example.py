"""MetaVision's own Python example (its document, "Code Examples"), run unchanged but for its base URL, key and media
URLs, against a default deployment (no vision-language model): every request it makes must succeed as written."""
from __future__ import annotations

import asyncio
import re
import sys

import httpx

from tests.conftest import MEDIA_REQUESTS, new_tenant
from tests.harness import gql
from tests.media import CAPTION, MONOLOGUE

# Copied from the document byte for byte; the test swaps only the lines named in `run_example`.
EXAMPLE = """import requests, time, base64

API_KEY = "your_api_key"
BASE = "https://metavision.vip.api.efficientstack.com/api/v1"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

# URL-based submission with transcription
payload = {
  "media": "https://example.com/video.mp4",
  "media_type": "video",
  "categories": ["title", "description"],
  "detail": "balanced",
  "transcribe": True,
  "transcribe_diarize": True,
  "transcribe_align": False
}

resp = requests.post(f"{BASE}/analyze", json=payload, headers=HEADERS)
job = resp.json()
print(f"Job: {job['job_id']}")

while True:
  result = requests.get(f"{BASE}/jobs/{job['job_id']}", headers=HEADERS).json()
  print(f"Status: {result['status']}")
  if result["status"] == "completed":
      print("Results:", result["data"])
      if "transcript" in result["data"]:
          print("Transcript:", result["data"]["transcript"])
      if result.get("pipeline_info"):
          print("Pipeline Info:", result["pipeline_info"])
      if result.get("pipeline_assets"):
          print("Assets:", result["pipeline_assets"])
      break
  elif result["status"] == "failed":
      print("Error:", result.get("error"))
      break
  time.sleep(2)

# Protected source with cookies and custom headers
protected_payload = {
  "media": "https://protected.example.com/video/12345",
  "media_type": "video",
  "categories": ["description"],
  "auth": {
      "cookie_string": "session=abc123; auth_token=xyz",
      "headers": {
          "X-API-Key": "my-api-key",
          "Referer": "https://protected.example.com/"
      }
  }
}
requests.post(f"{BASE}/analyze", json=protected_payload, headers=HEADERS)

# Protected source with a cookies.txt file (Netscape format)
with open("cookies.txt") as f:
  cookies_content = f.read()
requests.post(f"{BASE}/analyze", json={
  "media": "https://youtube.com/watch?v=PRIVATE",
  "media_type": "video",
  "auth": {"cookies_txt": cookies_content}
}, headers=HEADERS)

# Check account balance
balance = requests.get(f"{BASE}/account/balance", headers=HEADERS).json()
print(f"Total billed: ${balance['overall']['total_billed']}")

# Check prices
prices = requests.get(f"{BASE}/account/prices", headers=HEADERS).json()
print(f"Image price: ${prices['price_per_image']}/category")

# Browse request history
history = requests.get(f"{BASE}/account/requests?limit=10", headers=HEADERS).json()
for req in history["requests"]:
  print(f"{req['request_id'][:12]}... {req['status']} {req['media_type']}")

# Get full result for a past request (includes pipeline_info and pipeline_assets)
detail = requests.get(f"{BASE}/account/requests/{job['job_id']}", headers=HEADERS).json()
print("Full result:", detail)

# Cancel a queued job
cancel = requests.post(f"{BASE}/account/requests/{job['job_id']}/cancel", headers=HEADERS).json()
print("Cancel:", cancel)
"""


def adapted(base: str, key: str, media_server: str, media: dict) -> str:
    """The document's code with our server's base URL and key, and the test media server's URLs."""
    video = f"{media_server}/{media['shots_mp4'].name}"
    swaps = {'API_KEY = "your_api_key"': f'API_KEY = "{key}"',
             'BASE = "https://metavision.vip.api.efficientstack.com/api/v1"': f'BASE = "{base}/api/v1"',
             '"media": "https://example.com/video.mp4"': f'"media": "{video}?doc=example"',
             '"media": "https://protected.example.com/video/12345"': f'"media": "{video}?doc=protected"',
             '"media": "https://youtube.com/watch?v=PRIVATE"': f'"media": "{video}?doc=cookies"'}
    code = EXAMPLE
    for old, new in swaps.items():
        assert code.count(old) == 1, old
        code = code.replace(old, new)
    return code


async def test_the_documents_python_example_runs_against_a_default_deployment(plain_server, media_server, media,
                                                                              tmp_path):
    tenant = await new_tenant(plain_server)
    # The example reads a Netscape cookies.txt from its working directory.
    (tmp_path / "cookies.txt").write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tfromfile\n")
    (tmp_path / "example.py").write_text(adapted(plain_server.base_url, tenant.key, media_server, media))
    proc = await asyncio.create_subprocess_exec(sys.executable, "example.py", cwd=tmp_path,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=600)
    out, err = out.decode(), err.decode()
    assert proc.returncode == 0, (out, err)  # a KeyError or an exception anywhere is a failure of ours
    assert "Status: completed" in out and "Error:" not in out, out
    job_id = re.search(r"^Job: (\S+)$", out, re.M).group(1)
    results = next(line for line in out.splitlines() if line.startswith("Results: "))
    # title and description (asked for by the example) came from the local analysis: the caption and the speech
    assert "'title': {'result':" in results and "'description': {'result':" in results, results
    assert CAPTION.split()[0] in results and any(w in results.lower() for w in MONOLOGUE.lower().split()[:6])
    assert "Transcript: {'segments': [{" in out and "'speaker': 'SPEAKER_" in out
    assert re.search(r"^Total billed: \$\d", out, re.M) and "Image price: $0.005/category" in out
    assert re.search(rf"^{job_id[:12]}\.\.\. success video$", out, re.M), out
    assert f"Full result: {{'request_id': '{job_id}', 'status': 'completed'" in out
    assert "Cancel: {'error':" in out  # a completed job cannot be cancelled; the example prints the answer as is
    # the protected-source requests reached the media server with the credentials the example gave
    sent = {path.split("?doc=")[1]: headers for path, headers in MEDIA_REQUESTS if "?doc=" in path}
    for _ in range(100):
        if {"protected", "cookies"} <= set(sent):
            break
        await asyncio.sleep(0.5)
        sent = {path.split("?doc=")[1]: headers for path, headers in MEDIA_REQUESTS if "?doc=" in path}
    assert sent["protected"]["x-api-key"] == "my-api-key" and sent["protected"]["cookie"].startswith("session=abc123")
    assert sent["cookies"]["cookie"] == "session=fromfile"
    # the example leaves its two protected-source jobs running (every category: none given): they complete too
    async with httpx.AsyncClient(base_url=plain_server.base_url, timeout=60) as client:
        for _ in range(1200):
            jobs = (await gql(client, tenant.key, "{ jobs(first: 10) { edges { node { status } } } }"))["data"]["jobs"]
            if all(e["node"]["status"] in {"COMPLETED", "FAILED", "CANCELLED"} for e in jobs["edges"]):
                break
            await asyncio.sleep(0.5)
    assert [e["node"]["status"] for e in jobs["edges"]] == ["COMPLETED"] * 3
