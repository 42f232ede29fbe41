{#
    Fails for every row of `model` where `expression` is not true (false or null).
    Usable on a model or on a column (the column name is then available in the expression).
#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
