{# True when year-month-day (whole numbers) is a day of the Gregorian calendar. #}
{% macro is_calendar_date(year, month, day) %}
    {%- set leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(1 <= month <= 12 and 1 <= day <= month_days[month - 1]) }}
{% endmacro %}
