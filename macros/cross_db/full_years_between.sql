{#
    Age-style difference: full years from start_date to end_date (both dates). A year is
    complete on the anniversary's month and day; a 29 February start completes its years on
    1 March in common years. Portable: built from date_part_number only.
#}
{% macro full_years_between(start_date, end_date) -%}
    (
        {{ date_part_number('year', end_date) }} - {{ date_part_number('year', start_date) }}
        - case
            when {{ date_part_number('month', end_date) }} * 100 + {{ date_part_number('day', end_date) }}
                < {{ date_part_number('month', start_date) }} * 100
                + {{ date_part_number('day', start_date) }}
                then 1
            else 0
        end
    )
{%- endmacro %}
