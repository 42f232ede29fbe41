{#
    The most frequent spelling of each place in `relation`: one row per distinct
    `partition_columns` (the place's key and the keys it is grouped within), with the
    `spelling_column` value its rows carry most often; ties go to the spelling that sorts
    first. Rows whose key (the last of `partition_columns`) is '' (no place) are left out.
    Renders a select for a CTE.
#}
{% macro most_frequent_spelling(relation, partition_columns, spelling_column) %}
    {%- set partition = [] -%}
    {%- for column in partition_columns -%}
        {%- do partition.append(relation ~ '.' ~ column) -%}
    {%- endfor -%}
    {%- set spelling = relation ~ '.' ~ spelling_column -%}
    select
        {%- for column in partition_columns %}
        ranked.{{ column }},
        {%- endfor %}
        ranked.{{ spelling_column }}
    from (
        select
            {{ partition | join(',\n            ') }},
            {{ spelling }},
            row_number() over (
                partition by {{ partition | join(', ') }}
                order by count(*) desc, {{ spelling }} asc
            ) as spelling_rank
        from {{ relation }}
        where {{ partition | last }} != ''
        group by {{ partition | join(', ') }}, {{ spelling }}
    ) as ranked
    where ranked.spelling_rank = 1
{%- endmacro %}
