/** Which destination countries the SMS provider can text; "Receive a code" is offered only there. */
export interface SmsCoverage {
  /** `region`: ISO 3166 code of the number, e.g. `JP`. */
  canText(region: string): boolean;
}

/** A provider that texts every country the admin allows (the demo's console delivery). */
export const TEXTS_EVERY_COUNTRY: SmsCoverage = { canText: () => true };
