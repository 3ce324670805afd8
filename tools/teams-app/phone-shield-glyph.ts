/**
 * The app icon's glyph: a phone outline with a shield carrying a check mark, drawn as pure geometry
 * in a unit square (x right, y down) so one shape serves the 192 px colour icon and the 32 px outline.
 */

interface Point {
  readonly x: number;
  readonly y: number;
}

// Strokes are thick on purpose: the same shape must stay legible at 32 × 32.
const PHONE = { left: 0.1, right: 0.58, top: 0.02, bottom: 0.98, radius: 0.1, stroke: 0.085 } as const;
const SPEAKER = { from: { x: 0.28, y: 0.19 }, to: { x: 0.4, y: 0.19 }, radius: 0.035 } as const;
const HOME = { centre: { x: 0.34, y: 0.85 }, radius: 0.055 } as const;
const SHIELD = { centreX: 0.7, top: 0.38, height: 0.6, halfWidth: 0.28 } as const;
const SHIELD_GAP = 0.07;
// The check mark's corners, placed relative to the shield's top centre.
const CHECK = {
  start: { x: SHIELD.centreX - 0.13, y: SHIELD.top + 0.32 },
  corner: { x: SHIELD.centreX - 0.03, y: SHIELD.top + 0.43 },
  end: { x: SHIELD.centreX + 0.14, y: SHIELD.top + 0.2 },
  halfWidth: 0.045,
} as const;

/** True when the point (unit square, y down) lies on the glyph. */
export function isOnPhoneShieldGlyph(x: number, y: number): boolean {
  const point = { x, y };
  const phone = (onPhoneFrame(point) || onSpeaker(point) || onHomeButton(point)) && !insideShield(point, SHIELD_GAP);
  return phone || (insideShield(point, 0) && !onCheckMark(point));
}

function onPhoneFrame(p: Point): boolean {
  return insideRoundedRect(p, 0) && !insideRoundedRect(p, PHONE.stroke);
}

function insideRoundedRect(p: Point, inset: number): boolean {
  const left = PHONE.left + inset;
  const right = PHONE.right - inset;
  const top = PHONE.top + inset;
  const bottom = PHONE.bottom - inset;
  const radius = Math.max(PHONE.radius - inset, 0);
  if (p.x < left || p.x > right || p.y < top || p.y > bottom) return false;
  const cornerX = Math.min(Math.max(p.x, left + radius), right - radius);
  const cornerY = Math.min(Math.max(p.y, top + radius), bottom - radius);
  return distance(p.x - cornerX, p.y - cornerY) <= radius;
}

function onSpeaker(p: Point): boolean {
  return distanceToSegment(p, SPEAKER.from, SPEAKER.to) <= SPEAKER.radius;
}

function onHomeButton(p: Point): boolean {
  return distance(p.x - HOME.centre.x, p.y - HOME.centre.y) <= HOME.radius;
}

/** The shield: straight sides for the upper half, then a parabola narrowing to the point. */
function insideShield(p: Point, grow: number): boolean {
  const top = SHIELD.top - grow;
  const height = SHIELD.height + 2 * grow;
  const halfWidth = SHIELD.halfWidth + grow;
  const v = (p.y - top) / height;
  if (v < 0 || v > 1) return false;
  const narrowing = v <= 0.5 ? 1 : 1 - ((v - 0.5) / 0.5) ** 2;
  return Math.abs(p.x - SHIELD.centreX) <= halfWidth * narrowing;
}

function onCheckMark(p: Point): boolean {
  return Math.min(distanceToSegment(p, CHECK.start, CHECK.corner), distanceToSegment(p, CHECK.corner, CHECK.end)) <= CHECK.halfWidth;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.min(Math.max(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0), 1);
  return distance(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Math.hypot guards against overflow we cannot have here, and is several times slower in this hot loop.
function distance(dx: number, dy: number): number {
  return Math.sqrt(dx * dx + dy * dy);
}
