{#
    Reads the text of a timestamp var (kind `timestamp` in var_rules()):
    YYYY-MM-DD, optionally followed by ( |T)HH:MM:SS[.ffffff], optionally followed by a
    zone Z, ±HH:MM, ±HHMM or ±HH (the raw contract's forms, docs/data-path.md). Returns
    {'date': 'YYYY-MM-DD', 'time': 'HH:MM:SS[.f]', 'offset_minutes': n, 'has_zone': bool}
    (a bare date is 00:00:00; `offset_minutes` is east of UTC; `has_zone` is false when
    the text names no zone, i.e. it is on the shop's clock, var shop_timezone), or
    {'problem': why} when the text is not such a timestamp: a day that does not exist,
    hour > 23, minute or second > 59, a zone beyond ±14:00 or with minutes > 59, a year
    outside 1900-2999.
#}
{% macro timestamp_var_parts(text) %}
    {%- set match = modules.re.fullmatch(
        '([0-9]{4})-([0-9]{2})-([0-9]{2})'
        ~ '(?:[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})([.][0-9]{1,6})?)?'
        ~ '(Z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?', text) -%}
    {%- if match is none -%}
        {{ return({'problem': 'not of the form YYYY-MM-DD[ HH:MM:SS][zone]'}) }}
    {%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- if not 1900 <= year <= 2999 -%}
        {{ return({'problem': 'year ' ~ year ~ ' is outside 1900-2999'}) }}
    {%- elif not is_calendar_date(year, month, day) -%}
        {{ return({'problem': match.group(1) ~ '-' ~ match.group(2) ~ '-' ~ match.group(3)
            ~ ' is not a calendar date'}) }}
    {%- endif -%}
    {%- if match.group(4) is not none
        and (match.group(4) | int > 23 or match.group(5) | int > 59 or match.group(6) | int > 59) -%}
        {{ return({'problem': 'the time of day is not a valid HH:MM:SS'}) }}
    {%- endif -%}
    {%- set offset_minutes = 0 -%}
    {%- if match.group(9) is not none -%}
        {%- set zone_hours, zone_minutes = match.group(10) | int, (match.group(11) or '0') | int -%}
        {%- if zone_minutes > 59 or zone_hours * 60 + zone_minutes > 14 * 60 -%}
            {{ return({'problem': 'the zone offset ' ~ match.group(8)
                ~ ' is beyond ±14:00 or has minutes over 59'}) }}
        {%- endif -%}
        {%- set offset_minutes = (zone_hours * 60 + zone_minutes)
            * (1 if match.group(9) == '+' else -1) -%}
    {%- endif -%}
    {{ return({
        'date': match.group(1) ~ '-' ~ match.group(2) ~ '-' ~ match.group(3),
        'time': (match.group(4) ~ ':' ~ match.group(5) ~ ':' ~ match.group(6)
            ~ (match.group(7) or '')) if match.group(4) is not none else '00:00:00',
        'offset_minutes': offset_minutes,
        'has_zone': match.group(8) is not none,
    }) }}
{% endmacro %}
