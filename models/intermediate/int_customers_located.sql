-- Where each member of the population lives and works (segments.md geographic), with
-- places grouped by a key that ignores case, accents, spacing and punctuation (macro
-- place_key) and shown under their most frequent spelling: "São Paulo", "sao paulo" and
-- " SAO PAULO " are one city. A region is a key within its country, a city a key within
-- its country and region, so Belém in Pará and Belém in Alagoas stay two cities. Ties
-- between spellings go to the one that sorts first. Work cities are grouped within the
-- country. One row per member.
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
    select
        keyed.country_group,
        keyed.region_key,
        keyed.region,
        row_number() over (
            partition by keyed.country_group, keyed.region_key
            order by count(*) desc, keyed.region asc
        ) as spelling_rank
    from keyed
    where keyed.region_key != ''
    group by keyed.country_group, keyed.region_key, keyed.region
),

city_spellings as (
    select
        keyed.country_group,
        keyed.region_key,
        keyed.city_key,
        keyed.city,
        row_number() over (
            partition by keyed.country_group, keyed.region_key, keyed.city_key
            order by count(*) desc, keyed.city asc
        ) as spelling_rank
    from keyed
    where keyed.city_key != ''
    group by keyed.country_group, keyed.region_key, keyed.city_key, keyed.city
),

work_city_spellings as (
    select
        keyed.country_group,
        keyed.work_city_key,
        keyed.work_city,
        row_number() over (
            partition by keyed.country_group, keyed.work_city_key
            order by count(*) desc, keyed.work_city asc
        ) as spelling_rank
    from keyed
    where keyed.work_city_key != ''
    group by keyed.country_group, keyed.work_city_key, keyed.work_city
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
            and region_spellings.spelling_rank = 1
    left join city_spellings
        on
            keyed.country_group = city_spellings.country_group
            and keyed.region_key = city_spellings.region_key
            and keyed.city_key = city_spellings.city_key
            and city_spellings.spelling_rank = 1
    left join work_city_spellings
        on
            keyed.country_group = work_city_spellings.country_group
            and keyed.work_city_key = work_city_spellings.work_city_key
            and work_city_spellings.spelling_rank = 1
)

select * from final
