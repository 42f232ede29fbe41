{#
    The accent table of place names, declared once: each letter of `from` becomes the
    letter at the same position of `to` (translate()). Lower-case letters only: place_key
    lower-cases first. Letters that fold to two (ß, æ, œ, þ) are replaced before.
    DuckDB's strip_accents has no Spark twin, so both engines use this table and give
    the same keys.
#}
{% macro accent_folding() %}
    {{ return({
        'from': 'àáâãäåāăąǎçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıǐĵķĺļľŀłñńņňŉòóôõöøōŏőǒŕŗřśŝşšșţťŧțùúûüũūŭůűųǔŵýÿŷźżž',
        'to': 'aaaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiiijklllllnnnnnoooooooooorrrsssssttttuuuuuuuuuuuwyyyzzz',
        'pairs': [['ß', 'ss'], ['æ', 'ae'], ['œ', 'oe'], ['þ', 'th']],
    }) }}
{% endmacro %}
