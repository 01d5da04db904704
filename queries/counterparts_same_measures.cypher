// Counterparts that lead the same kinds of measures: for each COUNTERPART_OF pair, the measures the
// lower agency leads or answers for (LEADS, RESPONSIBLE_FOR) that take over (DERIVED_FROM) or resemble (SIMILAR_TO) a measure its counterpart
// leads, or that mention the same platform (link "MENTIONS").
MATCH (lower:Agency)-[c:COUNTERPART_OF]->(upper:Agency),
      (lower)-[:LEADS|RESPONSIBLE_FOR]->(lm:Measure)-[l:DERIVED_FROM|SIMILAR_TO]->(um:Measure)<-[:LEADS|RESPONSIBLE_FOR]-(upper)
RETURN lower.name AS lower_name, upper.name AS upper_name, c.function AS function, type(l) AS link,
       null AS platform_name, lm.id AS lower_measure, um.id AS upper_measure
UNION
MATCH (lower:Agency)-[c:COUNTERPART_OF]->(upper:Agency),
      (lower)-[:LEADS|RESPONSIBLE_FOR]->(lm:Measure)-[:MENTIONS]->(p:Platform)<-[:MENTIONS]-(um:Measure)<-[:LEADS|RESPONSIBLE_FOR]-(upper)
RETURN lower.name AS lower_name, upper.name AS upper_name, c.function AS function, 'MENTIONS' AS link,
       p.name AS platform_name, lm.id AS lower_measure, um.id AS upper_measure
