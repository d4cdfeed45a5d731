"""The roster engine: a rostering problem (problem.py), its CP-SAT model and search (engine.py), an
independent checker of the hard rules and the objective (check.py), explanations of why a roster cannot be
made (explain.py) and the public nurse-rostering benchmark read into the same problem (nrp.py).

Pure Python + OR-Tools: no Qt, no database. The port roster (services/roster.py) and `drillapp roster bench`
both build a `Problem` and hand it to `engine.solve`.
"""
