{# A var that must be a whole number >= `minimum`; a clear error otherwise. #}
{% macro int_var(name, minimum=0) %}
    {%- set value = var(name) -%}
    {%- if value is not number and not (value is string and modules.re.fullmatch('[0-9]+', value)) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a whole number, got '" ~ value ~ "'") }}
    {%- endif -%}
    {%- if value | int != value | float or value | int < minimum -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a whole number >= " ~ minimum ~ ", got " ~ value) }}
    {%- endif -%}
    {{ return(value | int) }}
{% endmacro %}
