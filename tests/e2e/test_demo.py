"""`make demo`: it starts, answers one SDK request through the printed snippet's settings, stops."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest
from openai import OpenAI

from tests.harness import ROOT, wait_until_healthy
from tests.stub_upstream import free_port

pytestmark = pytest.mark.e2e


def test_make_demo_serves_the_demo_model_to_the_printed_key(tmp_path):
    port = free_port()
    log = tmp_path / "demo.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["make", "--no-print-directory", "demo", f"DEMO_PORT={port}"], cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log)
        printed = log.read_text()
        base_url = re.search(r'base_url="([^"]+)"', printed).group(1)
        api_key = re.search(r'api_key="([^"]+)"', printed).group(1)
        assert re.search(r"^\s+pupil\s+", printed, re.M) and re.search(r"^\s+dpo\s+", printed, re.M)
        reply = OpenAI(base_url=base_url, api_key=api_key, max_retries=0).chat.completions.create(
            model="demo", messages=[{"role": "user", "content": "Three starter questions on rivers"}]
        )
        answer = reply.choices[0].message.content
        assert answer.startswith("[Demo model]") and "Three starter questions on rivers" in answer
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
        time.sleep(0.2)
