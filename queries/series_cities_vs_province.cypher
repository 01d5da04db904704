// Cities against their province (series_cities_vs_province.rq): for one indicator, the goals of one
// year and kind (increment or cumulative) of the cities of a province summed (a city's repeated goal
// counts once, its highest value) next to the province's goal (its highest); rows where they differ.
// A city is a jurisdiction with a Region node whose `parent` is the province.
// Parameters as for series_points.cypher: graph/series.py cypher_parameters(id) gives $concept (null:
// every indicator), $labels, $units and $strip; targets are matched to indicators by the same rule.
MATCH (t:Target)
WHERE t.indicator IS NOT NULL AND t.unit IS NOT NULL AND t.value IS NOT NULL
WITH t, toUpper(reduce(s = t.indicator, c IN $strip | replace(s, c, ''))) AS norm,
     CASE WHEN t.unit IN [u IN $units | u.unit] THEN ''
          WHEN t.unit STARTS WITH '千万' THEN '千万' WHEN t.unit STARTS WITH '百万' THEN '百万'
          WHEN t.unit STARTS WITH '十万' THEN '十万' WHEN t.unit STARTS WITH '千' THEN '千'
          WHEN t.unit STARTS WITH '万' THEN '万' WHEN t.unit STARTS WITH '亿' THEN '亿' ELSE '' END AS prefix
WITH t, norm, prefix, substring(t.unit, size(prefix)) AS baseUnit
WITH t, norm, baseUnit, [u IN $units WHERE u.unit = baseUnit | u.dimension] AS dims,
     CASE prefix WHEN '千万' THEN 10000000 WHEN '百万' THEN 1000000 WHEN '十万' THEN 100000
                 WHEN '千' THEN 1000 WHEN '万' THEN 10000 WHEN '亿' THEN 100000000 ELSE 1 END AS multiplier
UNWIND $labels AS l
WITH t, norm, baseUnit, multiplier, l
WHERE l.dimension IN dims AND (size(l.units) = 0 OR baseUnit IN l.units) AND norm CONTAINS l.label
WITH t, baseUnit, multiplier, l, size(l.label) AS len, size(split(norm, l.label)[0]) + size(l.label) AS ends
ORDER BY len DESC, ends DESC, l.concept ASC
WITH t, baseUnit, multiplier, collect(l) AS found
WITH t, baseUnit, multiplier, found[0] AS best
WHERE ($concept IS NULL OR best.concept = $concept) AND t.kind IN ['increment', 'cumulative']
  AND t.jurisdiction IS NOT NULL AND t.year IS NOT NULL
WITH best.concept AS concept, t.jurisdiction AS jurisdiction, t.year AS year, t.kind AS kind, baseUnit,
     max(t.value * multiplier) AS goal
MATCH (r:Region {name: jurisdiction})
WITH concept, jurisdiction, year, kind, baseUnit, goal, r,
     CASE WHEN r.level = 'province' THEN jurisdiction ELSE r.parent END AS province
WHERE r.level = 'province' OR (r.level = 'city' AND r.parent IS NOT NULL)
WITH concept, province, year, kind, baseUnit,
     max(CASE WHEN r.level = 'province' THEN goal ELSE null END) AS province_value,
     sum(CASE WHEN r.level = 'city' THEN goal ELSE 0 END) AS cities_total,
     collect(CASE WHEN r.level = 'city' THEN jurisdiction ELSE null END) AS city_names
WHERE province_value IS NOT NULL AND size(city_names) > 0 AND cities_total <> province_value
RETURN concept, province, year, kind, baseUnit AS base_unit, province_value, cities_total,
       size(city_names) AS cities, city_names,
       CASE WHEN cities_total > province_value THEN 'cities_exceed_province' ELSE 'cities_short_of_province' END AS finding
ORDER BY concept, province, year, kind
