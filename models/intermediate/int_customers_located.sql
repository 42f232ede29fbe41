-- Where each member of the population lives and works (docs/vars.md "Places"), with
-- places grouped by a key that ignores case, accents, spacing and punctuation (macro
-- place_key) and shown under their most frequent spelling: "São Paulo", "sao paulo" and
-- " SAO PAULO " are one city. A region is a key within its country, a city a key within
-- its country and region, so Belém in Pará and Belém in Alagoas stay two cities. Ties
-- between spellings go to the one that sorts first (macro most_frequent_spelling). Work
-- cities are grouped within the country. One row per member.
with

population as (
    select * from {{ ref('int_population') }}
),

keyed as (
    select
        population.customer_id,
        population.country_code,
        coalesce(population.country_code, '') as country_group,
        population.region,
        population.city,
        population.work_city,
        coalesce({{ place_key('population.region') }}, '') as region_key,
        coalesce({{ place_key('population.city') }}, '') as city_key,
        coalesce({{ place_key('population.work_city') }}, '') as work_city_key
    from population
),

region_spellings as (
    {{ most_frequent_spelling('keyed', ['country_group', 'region_key'], 'region') }}
),

city_spellings as (
    {{ most_frequent_spelling('keyed', ['country_group', 'region_key', 'city_key'], 'city') }}
),

work_city_spellings as (
    {{ most_frequent_spelling('keyed', ['country_group', 'work_city_key'], 'work_city') }}
),

final as (
    select
        keyed.customer_id,
        keyed.country_code,
        nullif(keyed.region_key, '') as region_key,
        region_spellings.region,
        nullif(keyed.city_key, '') as city_key,
        city_spellings.city,
        work_city_spellings.work_city
    from keyed
    left join region_spellings
        on
            keyed.country_group = region_spellings.country_group
            and keyed.region_key = region_spellings.region_key
    left join city_spellings
        on
            keyed.country_group = city_spellings.country_group
            and keyed.region_key = city_spellings.region_key
            and keyed.city_key = city_spellings.city_key
    left join work_city_spellings
        on
            keyed.country_group = work_city_spellings.country_group
            and keyed.work_city_key = work_city_spellings.work_city_key
)

select * from final
