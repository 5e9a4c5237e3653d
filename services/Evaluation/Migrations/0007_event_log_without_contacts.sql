-- Evaluation needs no citizen's name, phone or e-mail: events are logged without the applicant's contact from now on,
-- and the events logged before lose it here. Replays read nothing of it.
UPDATE event_log SET body = (body::jsonb - 'applicant')::json WHERE body::jsonb ? 'applicant';
