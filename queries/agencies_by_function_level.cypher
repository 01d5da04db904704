// Agencies by function and level per jurisdiction: how many (non-collective) agencies of each function
// the plans name in each jurisdiction.
MATCH (a:Agency)
WHERE a.function IS NOT NULL
RETURN a.jurisdiction AS jurisdiction, a.level AS level, a.function AS function, count(a) AS agencies,
       collect(a.name) AS names
ORDER BY level, jurisdiction, function
