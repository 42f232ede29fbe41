{#
    A 64-bit fingerprint of a text (a raw row's record_text): an incremental run compares
    the (id, fingerprint) pairs of a re-read full export with the stored ones, so that an
    unchanged row is not written again. Equal texts give equal fingerprints; a collision
    (two different rows of one id with one fingerprint, about 1 in 2^64) would keep the
    stored version of that id.
#}
{% macro row_fingerprint(expression) %}
    {{ return(adapter.dispatch('row_fingerprint', 'segmentation')(expression)) }}
{% endmacro %}

{% macro default__row_fingerprint(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro spark__row_fingerprint(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}
