// name: export_controls_of_mineral
// description: How a mineral's export controls changed: every export control targeting the mineral (or a group it belongs to, through BROADER), oldest first, with who imposed it, when it was announced and took effect, its status history, and the agreements that suspend it.
// param mineral: string -- id of the mineral, e.g. gallium
MATCH (m:Mineral {id: $mineral})-[:BROADER*0..2]->(target:Mineral)<-[:TARGETS]-(x:ExportControl)
WITH DISTINCT x, collect(DISTINCT target.id) AS via
OPTIONAL MATCH (who:Actor)-[:IMPOSED]->(x)
WITH x, via, collect(DISTINCT who.id) AS imposedBy
OPTIONAL MATCH (x)-[:HAD_STATUS]->(s:StatusChange)
WITH x, via, imposedBy, s ORDER BY s.date, s.id
WITH x, via, imposedBy, collect(CASE WHEN s IS NULL THEN null ELSE {status: s.status, date: s.date} END) AS history
OPTIONAL MATCH (deal:Agreement)-[:SUSPENDS]->(x)
WITH x, via, imposedBy, history, collect(DISTINCT deal.id) AS suspendedBy
WITH x, via, imposedBy, history, suspendedBy,
     coalesce(x.announcedOn, x.inForceFrom, head([h IN history | h.date])) AS first
RETURN x.id AS control, x.name AS name, imposedBy, via AS targets, x.announcedOn AS announcedOn,
       x.inForceFrom AS inForceFrom, x.status AS status, history, suspendedBy,
       x.sourceCount AS sourceCount
ORDER BY first IS NULL, first, control
