"""The S3 side of a deploy, through boto3: list, get, put, copy, delete, website hosting.

Any S3-compatible store: AWS S3, Aliyun OSS (``https://s3.oss-<region>.aliyuncs.com``),
Tencent COS (``https://cos.<region>.myqcloud.com``), MinIO, SeaweedFS. Credentials come
from boto3's standard chain only (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE`` and the shared files), never from the repository; the instance-metadata
lookup is off unless ``AWS_EC2_METADATA_DISABLED`` is set otherwise, so a machine
without credentials gets a clear message at once instead of a probe of a link-local
address.

Requests are signed by botocore (Signature V4). Checksums are sent as ``Content-MD5``,
which every store accepts, instead of botocore's newer CRC32 trailers (``aws-chunked``
encoding), which OSS, COS and older MinIO refuse. Objects are deleted one request each
(``DeleteObjects`` needs a checksum header those stores disagree on).

Every botocore failure becomes a :class:`~newsroom.build.deploy_files.DeployError` whose
message says what to check.
"""

import base64
import hashlib
import os
import re
from dataclasses import dataclass

from newsroom.build.deploy_files import DeployError
from newsroom.build.deploy_plan import Remote

ADDRESSING = ("virtual", "path")
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
SHA_METADATA = "newsroom-sha256"


@dataclass(frozen=True)
class Target:
    """``s3://BUCKET[/PREFIX]``."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, text):
        text = (text or "").strip()
        match = re.fullmatch(r"s3://([^/]+)(?:/(.*))?", text)
        if not match:
            raise DeployError("deploy.bad_target", target=text)
        bucket, prefix = match.group(1), (match.group(2) or "").strip("/")
        if not BUCKET_NAME.match(bucket) or ".." in bucket:
            raise DeployError("deploy.bad_bucket", bucket=bucket)
        if any(part in ("", ".", "..") for part in prefix.split("/")) and prefix:
            raise DeployError("deploy.bad_target", target=text)
        return cls(bucket, prefix)

    def __str__(self):
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def _boto():
    # Imported when a deploy runs: boto3 takes ~0.3 s to load, which other commands never pay.
    import boto3
    import botocore.config
    import botocore.exceptions

    return boto3, botocore.config, botocore.exceptions


class S3Store:
    """One bucket (and prefix) of one S3-compatible store."""

    def __init__(self, target, endpoint=None, region=None, addressing="virtual", workers=8):
        if addressing not in ADDRESSING:
            raise DeployError("deploy.bad_addressing", addressing=addressing)
        boto3, config, exceptions = _boto()
        self._errors = exceptions
        self.target = target
        self.endpoint = endpoint or ""
        os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
        try:
            session = boto3.session.Session()
            credentials = session.get_credentials()
        except exceptions.ProfileNotFound as error:
            raise DeployError("deploy.no_profile", profile=getattr(error, "kwargs", {}).get("profile", "")) from None
        if credentials is None:
            raise DeployError("deploy.no_credentials")
        settings = config.Config(
            s3={"addressing_style": addressing},
            retries={"max_attempts": 5, "mode": "standard"},
            max_pool_connections=max(10, workers + 2),
            connect_timeout=10,
            read_timeout=60,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            user_agent_extra="newsroom-deploy",
        )
        try:
            self.client = session.client("s3", endpoint_url=endpoint or None, region_name=region or None,
                                         config=settings)
        except ValueError:  # botocore: an endpoint URL it cannot use
            raise DeployError("deploy.bad_endpoint", endpoint=endpoint) from None

    # --- errors -----------------------------------------------------------------------
    def _translate(self, error, operation, key=""):
        """The :class:`DeployError` for a botocore failure."""
        errors = self._errors
        where = self.endpoint or "AWS S3"
        if isinstance(error, (errors.NoCredentialsError, errors.PartialCredentialsError)):
            return DeployError("deploy.no_credentials")
        if isinstance(error, (errors.EndpointConnectionError, errors.ConnectTimeoutError, errors.ReadTimeoutError,
                              errors.ConnectionClosedError, errors.SSLError)):
            return DeployError("deploy.unreachable", endpoint=where, detail=str(error))
        if isinstance(error, errors.ClientError):
            info = error.response.get("Error", {})
            code = str(info.get("Code", ""))
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if code == "NoSuchBucket":
                return DeployError("deploy.no_bucket", bucket=self.target.bucket, endpoint=where)
            if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden") or status == 403:
                return DeployError("deploy.denied", operation=operation, key=key or self.target.bucket, code=code
                                   or status)
            if code in ("PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"):
                return DeployError("deploy.wrong_region", bucket=self.target.bucket, code=code)
            return DeployError("deploy.store_error", operation=operation, key=key or self.target.bucket,
                               code=code or status, detail=info.get("Message", ""))
        if isinstance(error, errors.BotoCoreError):
            return DeployError("deploy.store_error", operation=operation, key=key or self.target.bucket,
                               code=error.__class__.__name__, detail=str(error))
        return error

    def _call(self, operation, key, function, **arguments):
        try:
            return function(**arguments)
        except (self._errors.BotoCoreError, self._errors.ClientError) as error:
            raise self._translate(error, operation, key) from None

    # --- reading ----------------------------------------------------------------------
    def list_objects(self):
        """``{key: Remote}`` of every object under the target's prefix."""
        prefix = f"{self.target.prefix}/" if self.target.prefix else ""
        found = {}
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.target.bucket, Prefix=prefix):
                for item in page.get("Contents", ()):
                    found[item["Key"]] = Remote(int(item["Size"]), item.get("ETag", "").strip('"'))
        except (self._errors.BotoCoreError, self._errors.ClientError) as error:
            raise self._translate(error, "ListObjectsV2") from None
        return found

    def get(self, key):
        """The bytes of the object ``key`` (a full key), or None when there is none."""
        try:
            response = self.client.get_object(Bucket=self.target.bucket, Key=key)
            return response["Body"].read()
        except self._errors.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise self._translate(error, "GetObject", key) from None
        except self._errors.BotoCoreError as error:
            raise self._translate(error, "GetObject", key) from None

    # --- writing ----------------------------------------------------------------------
    @staticmethod
    def _header_arguments(headers, sha256):
        arguments = {"ContentType": headers.content_type, "CacheControl": headers.cache_control,
                     "Metadata": {SHA_METADATA: sha256}}
        if headers.content_encoding:
            arguments["ContentEncoding"] = headers.content_encoding
        return arguments

    def put(self, key, body, headers, sha256):
        """Store ``body`` under ``key``; the object's ETag."""
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode("ascii")
        response = self._call("PutObject", key, self.client.put_object, Bucket=self.target.bucket, Key=key,
                              Body=body, ContentMD5=md5, **self._header_arguments(headers, sha256))
        return response.get("ETag", "").strip('"')

    def copy(self, source_key, key, headers, sha256, source_etag=""):
        """Copy ``source_key`` to ``key`` inside the bucket with ``headers`` (onto itself: new
        headers only); the new object's ETag. ``source_etag``: only if the source still has it."""
        arguments = {"Bucket": self.target.bucket, "Key": key,
                     "CopySource": {"Bucket": self.target.bucket, "Key": source_key},
                     "MetadataDirective": "REPLACE", **self._header_arguments(headers, sha256)}
        if source_etag:
            arguments["CopySourceIfMatch"] = f'"{source_etag}"'
        response = self._call("CopyObject", key, self.client.copy_object, **arguments)
        return response.get("CopyObjectResult", {}).get("ETag", "").strip('"')

    def delete(self, key):
        self._call("DeleteObject", key, self.client.delete_object, Bucket=self.target.bucket, Key=key)

    def put_record(self, key, blob):
        """Store a piece of the deploy manifest (gzip'd JSON, never cached)."""
        self._call("PutObject", key, self.client.put_object, Bucket=self.target.bucket, Key=key, Body=blob,
                   ContentType="application/gzip", CacheControl="no-store",
                   ContentMD5=base64.b64encode(hashlib.md5(blob).digest()).decode("ascii"))

    # --- website hosting ----------------------------------------------------------------
    def configure_website(self, index="index.html", error_key="404.html"):
        """Set the bucket's index and error documents; ``"set"``, ``"unchanged"``,
        ``"unsupported"`` (the store has no such API, or answers it wrongly) or
        ``"denied"``. Never fails the deploy: the site is up either way, and the store's
        console can set them."""
        wanted = {"IndexDocument": {"Suffix": index}, "ErrorDocument": {"Key": error_key}}
        bucket = self.target.bucket
        try:
            current = self.client.get_bucket_website(Bucket=bucket)
            if {name: current.get(name) for name in wanted} == wanted:
                return "unchanged"
        except self._errors.ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403:
                return "denied"
        except self._errors.BotoCoreError:
            return "unsupported"
        try:
            self.client.put_bucket_website(Bucket=bucket, WebsiteConfiguration=wanted)
            current = self.client.get_bucket_website(Bucket=bucket)
        except self._errors.ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 403:
                return "denied"
            return "unsupported"
        except self._errors.BotoCoreError:
            return "unsupported"
        return "set" if {name: current.get(name) for name in wanted} == wanted else "unsupported"
