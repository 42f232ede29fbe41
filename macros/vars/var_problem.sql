{#
    What is wrong with var `name` against its rule in var_rules(), as one line naming the
    var and showing its value (JSON-quoted, so that quotes and control characters are
    visible and the line stays one line); none when the value is fine. Pure Jinja: no SQL
    runs here (the currency's rate is checked by validate_vars()).
#}
{% macro var_problem(name) %}
    {%- set rule = var_rules()[name] -%}
    {%- set value = var(name) -%}
    {%- if value is none and rule.get('nullable') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set shown = tojson(value, none) or tojson(value | string) -%}
    {%- set reason = none -%}
    {%- set is_bool = value is sameas true or value is sameas false -%}
    {%- set text = '' if value is none or is_bool else value | string | trim -%}
    {%- set kind = rule.kind -%}

    {%- if kind == 'integer' -%}
        {%- set expected = 'a whole number from ' ~ rule.min ~ ' to ' ~ rule.max -%}
        {%- set is_whole = (value is number and not is_bool and value == value | int)
            or (value is string and modules.re.fullmatch('-?[0-9]+', text)) -%}
        {%- set ok = is_whole and rule.min <= text | int <= rule.max -%}

    {%- elif kind == 'decimal' -%}
        {%- set expected = 'a decimal number (at most 6 decimals) from '
            ~ rule.min ~ ' to ' ~ rule.max -%}
        {%- set match = modules.re.fullmatch('([0-9]+)(?:[.]([0-9]{1,6}))?', text) -%}
        {%- set ok = match is not none and not is_bool -%}
        {%- if ok -%}
            {%- set denominator = 10 ** ((match.group(2) or '') | length) -%}
            {%- set numerator = (match.group(1) ~ (match.group(2) or '')) | int -%}
            {%- set ok = rule.min * denominator <= numerator <= rule.max * denominator -%}
        {%- endif -%}

    {%- elif kind == 'timestamp' -%}
        {%- set expected = 'a UTC timestamp like "2025-07-01 00:00:00" or a date like '
            ~ '"2025-07-01" (zone Z, ±HH:MM, ±HHMM or ±HH within ±14:00 is converted to UTC)' -%}
        {%- set parts = timestamp_var_parts(text) -%}
        {%- set ok = 'problem' not in parts -%}
        {%- set reason = parts.get('problem') -%}

    {%- elif kind == 'date' -%}
        {%- set expected = 'a calendar date like 2000-01-01 (years 1900-2999)' -%}
        {%- set ok = modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) is not none -%}
        {%- if ok -%}
            {%- set reason = timestamp_var_parts(text).get('problem') -%}
            {%- set ok = reason is none -%}
        {%- endif -%}

    {%- elif kind == 'currency' -%}
        {%- set expected = 'a three-letter ISO 4217 code like USD' -%}
        {%- set ok = modules.re.fullmatch('[A-Za-z]{3}', text) -%}

    {%- elif kind == 'identifier' -%}
        {%- set expected = 'a schema name (an identifier: a letter or _, then letters, '
            ~ 'digits or _, at most 128)' -%}
        {%- set ok = modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]{0,127}', text) -%}

    {%- elif kind == 'path' -%}
        {%- set expected = 'a directory path without quotes, backslashes, glob or control '
            ~ 'characters' -%}
        {%- set found = modules.re.search('[\x00-\x1f\x7f]|[\'"`]|[\\\\]|[*?\\[\\]{}]', text) -%}
        {%- set ok = text != '' and not is_bool and found is none -%}
        {%- if found is not none -%}
            {%- set character = found.group(0) -%}
            {%- set reason = 'it has ' ~ (
                'a control character' if modules.re.fullmatch('[\x00-\x1f\x7f]', character)
                else 'a quote character' if character in '\'"`'
                else 'a backslash (write / instead)' if character == '\\'
                else 'a glob character: ' ~ character) -%}
        {%- endif -%}

    {%- elif kind == 'choice' -%}
        {%- set expected = 'one of ' ~ rule.choices | join(', ') -%}
        {%- set ok = value is string and value in rule.choices -%}

    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var_rules(): var " ~ name ~ " has an unknown kind '" ~ kind ~ "'") }}
    {%- endif -%}

    {%- if ok -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("var " ~ name ~ " must be " ~ expected ~ ", got " ~ shown
        ~ (" (" ~ reason ~ ")" if reason else "")) }}
{% endmacro %}
