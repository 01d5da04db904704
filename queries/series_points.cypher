// Target series: the points of one indicator (a SKOS concept of ontology/indicators.ttl), with kind,
// year, jurisdiction, the value in base units and the evidence sentence.
//
// The property graph holds no vocabulary: pass it as parameters, graph/series.py cypher_parameters(id)
// gives them: $concept (concept id, e.g. 'base_stations_5g'; null: every indicator), $labels
// [{label, concept, dimension, units}], $units [{unit, dimension}], $strip (characters dropped from the
// indicator text). A target counts for the concept whose label is the LONGEST one contained in its
// normalised indicator text, among the concepts of its unit's dimension (and allowed units); ties: the
// label whose first occurrence ends last, then the smaller concept id (as series_points.rq).
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
OPTIONAL MATCH (s)-[r:SETS_TARGET]->(t)
RETURN best.concept AS concept, t.jurisdiction AS jurisdiction, t.year AS year, t.kind AS kind,
       t.value * multiplier AS base_value, baseUnit AS base_unit, t.value AS value, t.unit AS unit,
       t.qualifier AS qualifier, t.indicator AS indicator, best.label AS label, t.id AS target_id,
       s.id AS set_by_id, r.evidence_text AS evidence_text, r.evidence_document AS evidence_document
ORDER BY concept, jurisdiction, year, kind, target_id
