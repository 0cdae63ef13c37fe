"""An S3 server on loopback (moto's), for the tests of STORAGES on object storage: the same
HTTP path django-storages takes to AWS, MinIO or a cloud's S3 service."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(scope="session")
def s3_server():
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-north-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_environment(s3_server) -> dict[str, str]:
    """The environment variables that put STORAGES on a fresh bucket of the server."""
    endpoint, client = s3_server
    bucket = f"boligsosial-{uuid.uuid4().hex[:12]}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
    )
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-north-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
