// name: instruments_of_actor
// description: Policy instruments (stockpiles, funding programmes, pricing systems, export controls, tariffs) with their amounts, status, dates and minerals, and who adopted, announced, proposed, imposed or leads each, with whom a claim is attributed to; optionally only one actor's (also through its bodies and people, e.g. Donald Trump for the US) and only one kind.
// param actor: string = null -- id of an actor, e.g. eu; leave out for every instrument
// param kind: string = null -- a class of instrument, e.g. Stockpile (FundingProgramme, PricingSystem, PriceFloor, ExportControl, Tariff); case does not matter
// param include_members: boolean = true -- with actor, also count what bodies PART_OF it and people AFFILIATED_WITH it did
MATCH (i:PolicyInstrument)
WHERE $kind IS NULL OR any(label IN labels(i) WHERE toLower(label) = toLower($kind))
OPTIONAL MATCH (i)<-[:ADOPTED|ANNOUNCED|PROPOSED|IMPOSED|LEADS]-(mine:Actor)
               -[:PART_OF|AFFILIATED_WITH*0..3]->(asked:Actor {id: $actor})
WITH i, mine, asked
WHERE $actor IS NULL OR (asked IS NOT NULL AND ($include_members OR mine = asked))
WITH DISTINCT i
MATCH (i)<-[r:ADOPTED|ANNOUNCED|PROPOSED|IMPOSED|LEADS]-(who:Actor)
WITH i, r, who
ORDER BY who.id, type(r)
WITH i, collect({actor: who.id, name: who.name, relation: type(r), role: r.role,
                 date: coalesce(r.adoptedOn, r.announcedOn, r.startedOn),
                 attributedTo: r.attributedTo}) AS actors
OPTIONAL MATCH (i)-[:COVERS_MINERAL]->(m:Mineral)
WITH i, actors, m
ORDER BY m.id
WITH i, actors, collect(m.id) AS minerals
RETURN i.id AS instrument, i.name AS name, i.class AS class, i.status AS status,
       i.amountUSD AS amountUSD, i.amountApproximate AS amountApproximate, i.forYear AS forYear,
       i.proposedOn AS proposedOn, i.announcedOn AS announcedOn, i.adoptedOn AS adoptedOn,
       i.inForceFrom AS inForceFrom, i.startedOn AS startedOn, i.suspendedOn AS suspendedOn,
       i.endedOn AS endedOn, actors, minerals, i.attributedTo AS attributedTo,
       i.sources AS sources
ORDER BY class, instrument
