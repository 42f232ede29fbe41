{#
    on-run-start hook: on a remote Spark cluster, every host must read the raw files and
    the warehouse. A worker that cannot see the driver's disk writes a table's files to its
    own disk: the table reads back empty with no error. So the build refuses, in one line:
      - a raw_path without a URI scheme or a file: URI, and
      - a warehouse location (spark.sql.warehouse.dir) on the local file system,
    when the target is remote. Remote: env SPARK_REMOTE=true, or SPARK_REMOTE=auto (the
    default) and a host other than localhost/127.0.0.1/::1 (thrift, http: Databricks).
    The session method (local pyspark; its profile says host: NA, as dbt-spark documents)
    is never remote. SPARK_REMOTE=false accepts local paths (e.g. an NFS mount at the same
    path on every host). On a server (any method but session) a relative raw_path is
    refused: the server would resolve it against its own working directory.
    DuckDB and the session method read local paths: nothing to check.
#}
{% macro check_storage_is_shared() %}
    {{ return(adapter.dispatch('check_storage_is_shared', 'segmentation')()) }}
{% endmacro %}

{% macro default__check_storage_is_shared() %}
    {{ return('') }}
{% endmacro %}

{% macro spark__check_storage_is_shared() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set host = target.get('host') or 'NA' -%}
    {%- if host == 'NA' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set setting = env_var('SPARK_REMOTE', 'auto') | trim | lower -%}
    {%- if setting not in ('auto', 'true', 'false') -%}
        {{ exceptions.raise_compiler_error(
            "SPARK_REMOTE=" ~ setting ~ " is not one of auto, true, false.") }}
    {%- endif -%}
    {%- set local_hosts = ('localhost', '127.0.0.1', '::1') -%}
    {%- if setting == 'auto' -%}
        {%- set remote = host | lower not in local_hosts -%}
    {%- else -%}
        {%- set remote = setting == 'true' -%}
    {%- endif -%}
    {%- set where = "target " ~ target.name ~ " (host " ~ host ~ ") is a remote Spark cluster"
        ~ (" (SPARK_REMOTE=true)" if setting == 'true' else "") -%}
    {%- set shared = "a URI every host of the cluster reads (hdfs://..., s3a://...)" -%}
    {%- set override = " or, if every host mounts it at the same path, set SPARK_REMOTE=false" -%}
    {%- set raw_path = var('raw_path') -%}
    {%- if raw_path is not none -%}
        {%- set scheme = modules.re.match('^([A-Za-z][A-Za-z0-9+.-]*):', raw_path | string) -%}
        {%- if scheme is none and not (raw_path | string).startswith('/') -%}
            {{ exceptions.raise_compiler_error(
                "var raw_path '" ~ raw_path ~ "' is relative: the Spark server (target "
                ~ target.name ~ ") would resolve it against its own directory; give an "
                ~ "absolute path or a URI (file:///..., hdfs://..., s3a://...).") }}
        {%- endif -%}
        {%- if remote and (scheme is none or scheme.group(1) | lower == 'file') -%}
            {{ exceptions.raise_compiler_error(
                "var raw_path '" ~ raw_path ~ "' is on the local file system but " ~ where
                ~ ": use " ~ shared ~ override ~ ".") }}
        {%- endif -%}
    {%- endif -%}
    {%- if remote -%}
        {%- set warehouse = run_query('set spark.sql.warehouse.dir').columns[1].values()[0] -%}
        {%- set scheme = modules.re.match('^([A-Za-z][A-Za-z0-9+.-]*):', warehouse) -%}
        {%- if scheme is none or scheme.group(1) | lower == 'file' -%}
            {{ exceptions.raise_compiler_error(
                "the Spark warehouse (spark.sql.warehouse.dir = " ~ warehouse
                ~ ") is on the local file system but " ~ where ~ ": set it on the cluster to "
                ~ shared ~ override ~ ".") }}
        {%- endif -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
