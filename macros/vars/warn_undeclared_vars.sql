{#
    One warning line per var given with --vars that dbt_project.yml does not declare (dbt
    would ignore it silently), naming the closest declared var: a typo such as
    vip_top_percnet is seen at once. The declared vars are read from the project's config
    (dbt_project.yml `vars:`, listed once there).
#}
{% macro warn_undeclared_vars(declared) %}
    {%- set given = invocation_args_dict.get('vars') -%}
    {%- if given is not mapping -%}
        {{ return('') }}
    {%- endif -%}
    {%- for name in given if name not in declared and name != project_name -%}
        {%- set ns = namespace(closest=none, distance=none) -%}
        {%- for candidate in declared | sort -%}
            {%- set distance = edit_distance(name | string, candidate) -%}
            {%- if ns.distance is none or distance < ns.distance -%}
                {%- set ns.closest, ns.distance = candidate, distance -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do exceptions.warn("Warning: var " ~ name ~ " is not declared in dbt_project.yml and is "
            ~ "ignored; did you mean " ~ ns.closest ~ "?") -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
