{#
    Fails, naming the var, when var reporting_currency has no positive rate in the
    currency_rates seed. Reads the seed's CSV file, not its table: at on-run-start of a
    fresh build the table does not exist yet.
#}
{% macro check_currency_rate() %}
    {%- set code = checked_var('reporting_currency') -%}
    {%- set seed = seed_file_node('currency_rates') -%}
    {%- set rates = run_query('select currency_code, usd_per_unit from '
        ~ csv_file_relation(seed.root_path ~ '/' ~ seed.original_file_path, 'currency_rates')
        ~ ' as rates') -%}
    {%- set codes = [] -%}
    {%- for row in rates.rows -%}
        {%- set rate = (row[1] or '') | trim -%}
        {%- if modules.re.fullmatch('[0-9]+([.][0-9]+)?', rate) and rate | float > 0 -%}
            {%- do codes.append((row[0] or '') | trim | upper) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if code not in codes -%}
        {{ exceptions.raise_compiler_error(
            "var reporting_currency must be a currency with a rate in "
            ~ seed.original_file_path ~ " (" ~ codes | join(', ') ~ "), got " ~ tojson(code)) }}
    {%- endif -%}
{% endmacro %}
