// Platforms owned by function and jurisdiction: how many platforms the agencies of each function own
// (OWNS) per agency jurisdiction and level (group the prefecture rows under their province with
// the Region nodes' parent prop).
MATCH (a:Agency)-[:OWNS]->(p:Platform)
WHERE a.function IS NOT NULL
RETURN a.jurisdiction AS jurisdiction, a.level AS level, a.function AS function,
       count(DISTINCT p) AS platforms, count(DISTINCT a) AS agencies
ORDER BY jurisdiction, platforms DESC, function
