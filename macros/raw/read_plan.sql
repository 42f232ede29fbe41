{#
    The read plan of `table_name` for this run (written by the on-run-start hook
    prepare_raw_inputs into raw_input.read_plan): {'full': true|false, 'layout': ...,
    'read': [sources read now], 'replaced': [sources whose stored rows this run replaces:
    read again or gone], 'added': [sources read now that no earlier load holds rows of:
    new files, new loaded-at batches], 'kept': [...]}. Without a plan (parsing, `dbt
    compile` before any hook ran): a full read.
#}
{% macro read_plan(table_name) %}
    {%- set plan = {'full': true, 'layout': 'export', 'read': [], 'replaced': [], 'added': [],
                   'kept': []} -%}
    {%- if not execute -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(database=target.database, schema='raw_input',
                                            identifier='read_plan') -%}
    {%- if relation is none -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set rows = run_query("select source_table, source_name, layout, action, is_full, is_new"
        ~ " from " ~ relation ~ " order by source_name").rows -%}
    {%- for row in rows -%}
        {%- do plan.update({'full': row[4]}) -%}
    {%- endfor -%}
    {%- for row in rows if row[0] == table_name -%}
        {%- do plan.update({'layout': row[2]}) -%}
        {%- if row[3] == 'read' -%}
            {%- do plan.read.append(row[1]) -%}
            {%- do plan.replaced.append(row[1]) -%}
            {%- if row[5] -%}
                {%- do plan.added.append(row[1]) -%}
            {%- endif -%}
        {%- elif row[3] == 'dropped' -%}
            {%- do plan.replaced.append(row[1]) -%}
        {%- else -%}
            {%- do plan.kept.append(row[1]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(plan) }}
{% endmacro %}
