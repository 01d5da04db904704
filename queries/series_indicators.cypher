// Indicators with their number of target points, jurisdictions and years (series_indicators.rq).
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
WHERE $concept IS NULL OR best.concept = $concept
RETURN best.concept AS concept, count(DISTINCT t) AS points, count(DISTINCT t.jurisdiction) AS jurisdictions,
       min(t.year) AS first_year, max(t.year) AS last_year
ORDER BY points DESC, concept
