-- The seeded national procedures take the local code of the province the platform ships for (H57), as the national
-- catalogue lists them for it; the dossiers received under them follow, so a dossier still finds its procedure.
UPDATE procedures SET code = left(code, length(code) - 3) || 'H57'
WHERE province_id IS NULL AND code IN ('1.001193.000.00.00.H56', '1.000894.000.00.00.H56', '2.000815.000.00.00.H56',
                                       '1.004873.000.00.00.H56', '1.003560.000.00.00.H56');

UPDATE dossiers SET procedure_code = left(procedure_code, length(procedure_code) - 3) || 'H57'
WHERE procedure_code IN ('1.001193.000.00.00.H56', '1.000894.000.00.00.H56', '2.000815.000.00.00.H56',
                         '1.004873.000.00.00.H56', '1.003560.000.00.00.H56');
