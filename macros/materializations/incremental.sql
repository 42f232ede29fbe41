{#
    The incremental materialization on Spark, for this project's parquet tables (no
    Delta, Iceberg or Hudi: dbt-spark's own incremental takes only append, merge,
    insert_overwrite and microbatch there, and merge needs a table format). Strategies:
      - append: the run's rows are added (`insert into`);
      - delete+insert on unique_key: what DuckDB does (every stored row whose key the
        run's rows hold is replaced by the run's rows of that key; a null key matches
        nothing).
    The hooks of the incremental tables delete rows (delete_replaced_rows,
    delete_replaced_sources, delete_placeholder_rows: `delete from <this> where ...`),
    which parquet refuses; here (spark_delete_hook_condition):
      - a hook's DELETE runs where DuckDB runs it (a pre-hook's before the model's query,
        which may read <this>; a post-hook's after the run's rows are written): nothing
        when no row matches (one count), `truncate table` for every row, else a rewrite
        of the rows kept (spark_delete_rows). Hooks are rendered once, in their place.
    A run first writes its rows into the scratch table <this>__new (its query runs once;
    Spark may not overwrite a table the query reads). When they replace no stored row
    (no stored key among theirs; always with append), they are appended
    (`insert into`: only new files; the stored files are not touched). Otherwise the table
    is rewritten (spark_rewrite_table: the stored rows kept and the run's rows into
    <this>__next, `insert overwrite table <this>`, drop): every file of the table is
    written again. <this>__new is dropped at the end. A <this>__next left by a run that
    stopped half-way stops the next run with one line (spark_check_no_leftover).
    First run, --full-refresh, or a view in the way: drop and `create table as select`,
    like dbt-spark. docs/refresh.md "On Spark" says what is atomic.
#}
{% materialization incremental, adapter='spark' -%}
    {%- set strategy = config.get('incremental_strategy') or 'append' -%}
    {%- set file_format = config.get('file_format') or 'parquet' -%}
    {%- if strategy not in ('append', 'delete+insert') or file_format != 'parquet' -%}
        {{ exceptions.raise_compiler_error(
            'model ' ~ model.name ~ ': incremental_strategy ' ~ strategy ~ ' with file_format '
            ~ file_format ~ ' is not supported: on Spark this project\'s incremental'
            ~ ' materialization (macros/materializations/incremental.sql) writes parquet'
            ~ ' tables with append or delete+insert') }}
    {%- endif -%}
    {%- set unique_key = config.get('unique_key') -%}
    {%- set keys = [] -%}
    {%- if strategy == 'delete+insert' -%}
        {%- if unique_key is none -%}
            {{ exceptions.raise_compiler_error('model ' ~ model.name
                ~ ': incremental_strategy delete+insert needs a unique_key') }}
        {%- endif -%}
        {%- set keys = [unique_key] if unique_key is string else unique_key | list -%}
    {%- endif -%}
    {%- set on_schema_change = incremental_validate_on_schema_change(
        config.get('on_schema_change'), default='ignore') -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_relation(this) -%}
    {%- set new_relation = spark_scratch_relation(target_relation, 'new') -%}
    {%- do spark_check_no_leftover(target_relation) -%}
    {%- if adapter.get_relation(database=new_relation.database, schema=new_relation.schema,
                                identifier=new_relation.identifier) is not none -%}
        {%- do adapter.drop_relation(new_relation) -%}
    {%- endif -%}

    {#- pre-hooks: a DELETE of this table is carried out by spark_delete_rows -#}
    {%- for hook in pre_hooks -%}
        {%- set sql = render(hook.get('sql')) | trim -%}
        {%- set condition = spark_delete_hook_condition(sql, target_relation) -%}
        {%- if condition is not none -%}
            {%- do spark_delete_rows(target_relation, condition) -%}
        {%- elif sql | length > 0 -%}
            {%- call statement('pre_hook_' ~ loop.index) -%}{{ sql }}{%- endcall -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if existing_relation is none or existing_relation.is_view or should_full_refresh() -%}
        {%- if existing_relation is not none -%}
            {%- do adapter.drop_relation(existing_relation) -%}
        {%- endif -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, compiled_code) }}
        {%- endcall -%}
    {%- else -%}
        {%- call statement('create_new_rows') -%}
            {{ create_table_as(False, new_relation, compiled_code) }}
        {%- endcall -%}
        {%- do process_schema_changes(on_schema_change, new_relation, existing_relation) -%}
        {%- set matches = [] -%}
        {%- for key in keys -%}
            {%- do matches.append('stored.' ~ key ~ ' = new_rows.' ~ key) -%}
        {%- endfor -%}
        {%- set replaced_query -%}
            select
                {% if keys -%}
                (select count(*) from {{ target_relation }} as stored
                 left semi join {{ new_relation }} as new_rows
                    on {{ matches | join(' and ') }})
                {%- else -%}
                0
                {%- endif %}
        {%- endset -%}
        {%- set replaced = run_query(replaced_query).columns[0].values()[0] -%}
        {%- set columns = adapter.get_columns_in_relation(target_relation)
            | map(attribute='quoted') | join(', ') -%}
        {%- set run_rows -%}
            select {{ columns }} from {{ new_relation }}
        {%- endset -%}
        {%- if replaced == 0 -%}
            {%- call statement('main') -%}
                insert into table {{ target_relation }} {{ run_rows }}
            {%- endcall -%}
        {%- else -%}
            {%- set next_rows -%}
                select {{ columns }} from {{ target_relation }} as stored
                {% if keys -%}
                left anti join {{ new_relation }} as new_rows
                    on {{ matches | join(' and ') }}
                {% endif -%}
                union all
                {{ run_rows }}
            {%- endset -%}
            {%- do spark_rewrite_table(target_relation, next_rows) -%}
            {%- call statement('main') -%}
                select {{ replaced }} as replaced_rows
            {%- endcall -%}
        {%- endif -%}
        {{ log('incremental ' ~ target_relation ~ ': '
               ~ ('appended the run\'s rows' if replaced == 0 else 'rewrote the table ('
                  ~ replaced ~ ' stored rows replaced or deleted)'), info=true) }}
        {%- do adapter.drop_relation(new_relation) -%}
    {%- endif -%}

    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode) -%}
    {%- do apply_grants(target_relation, grant_config, should_revoke) -%}
    {%- do persist_docs(target_relation, model) -%}

    {#- post-hooks: a DELETE of this table is carried out by spark_delete_rows -#}
    {%- for hook in post_hooks -%}
        {%- set sql = render(hook.get('sql')) | trim -%}
        {%- set condition = spark_delete_hook_condition(sql, target_relation) -%}
        {%- if condition is not none -%}
            {%- do spark_delete_rows(target_relation, condition) -%}
        {%- elif sql | length > 0 -%}
            {%- call statement('post_hook_' ~ loop.index) -%}{{ sql }}{%- endcall -%}
        {%- endif -%}
    {%- endfor -%}

    {{ return({'relations': [target_relation]}) }}
{%- endmaterialization %}
