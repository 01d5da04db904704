"""The research questions as SPARQL (*.rq) and Cypher (*.cypher) files, installed with the package."""
