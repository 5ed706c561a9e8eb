// Words the editors show for things that have no name of their own. The same values as
// cjm_jupyter/model/labels.py (tests/test_widgets_labels.py keeps them in step), so the map,
// the plots and the editors say the same word.

/** What rows without a persona (persona_id empty) are called: they hold for every persona. */
export const NO_PERSONA_LABEL = "All personas";

/** The emotion scale's words, by score: -2 .. +2 (cjm_jupyter.model.labels.EMOTION_LABELS). */
export const EMOTION_LABELS = [[-2, "frustrated"], [0, "indifferent"], [2, "delighted"]];
