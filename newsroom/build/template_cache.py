"""Jinja's bytecode cache with the environment's compile-time settings in each key.

Jinja keys a compiled template by its name, file and source only. What the compiler
also reads from the environment (the lexer's delimiters, ``trim_blocks``, autoescaping,
how each filter and test is called, ...) is not in the key, so one cache folder serves
only environments configured alike. Here those settings are part of the key, so that a
folder may be shared by every build of a machine (the test suite shares one between its
~150 builds through ``NEWSROOM_TEMPLATE_CACHE``: compiling the theme's ~40 templates is
~0.2 of a one-article build's ~1.2 CPU-s in the Pelican child), never handing a build
code compiled for other settings. The cached code is what the compiler would make, so the
pages are the same bytes either way.

An extension's own code is not in the key (as in Jinja): its identifier is.
"""

import hashlib

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


def _calls(functions):
    """``[(name, how it is called)]``: a filter or test marked ``pass_context`` (and the
    like) is called with another first argument, which the compiled code spells out."""
    return sorted((name, getattr(getattr(function, "jinja_pass_arg", None), "name", None))
                  for name, function in functions.items())


def compile_settings(environment, name):
    """The text of everything ``environment`` lets the compiler use for template ``name``
    besides its source."""
    env = environment
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    finalize = None if env.finalize is None else getattr(getattr(env.finalize, "jinja_pass_arg", None), "name", "")
    policies = sorted((key, repr(value)) for key, value in env.policies.items()
                      if isinstance(value, (str, int, float, bool, type(None))))
    return repr((
        jinja2.__version__,
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, env.is_async, bool(autoescape), finalize, policies,
        sorted((ext.identifier, ext.priority) for ext in env.extensions.values()),
        f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
        _calls(env.filters), _calls(env.tests),
    ))


class TemplateCache(FileSystemBytecodeCache):
    """:class:`jinja2.FileSystemBytecodeCache` keyed by name, file and
    :func:`compile_settings` (the source is checked by its checksum, as in Jinja)."""

    def get_bucket(self, environment, name, filename, source):
        settings = hashlib.sha1(compile_settings(environment, name).encode("utf-8")).hexdigest()
        key = hashlib.sha1(f"{self.get_cache_key(name, filename)}|{settings}".encode("utf-8")).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket
