/**
 * Runs inside the Chromium page (plain JavaScript, so the project needs no DOM typings): defines
 * `paintCard(json, hostConfig)`, which renders one card into #root with the adaptivecards global and
 * reports what sticks out of the card.
 */
export const PAINT_SCRIPT = `
window.paintCard = function paintCard(json, hostConfig) {
  var ac = window.AdaptiveCards;
  var card = new ac.AdaptiveCard();
  card.hostConfig = new ac.HostConfig(hostConfig);
  card.parse(json);
  var rendered = card.render();
  var root = document.getElementById('root');
  if (!root || !rendered) throw new Error('the card did not render');
  root.replaceChildren(rendered);
  var cardBox = root.getBoundingClientRect();
  var overflowing = [];
  root.querySelectorAll('*').forEach(function (element) {
    var box = element.getBoundingClientRect();
    var cut = element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible'
      && getComputedStyle(element).display !== 'inline';
    if (box.right > cardBox.right + 1 || cut) {
      overflowing.push(element.tagName.toLowerCase() + '.' + element.className + ': "' + (element.textContent || '').trim().slice(0, 40) + '"');
    }
  });
  if (document.documentElement.scrollWidth > window.innerWidth) overflowing.push('the page scrolls sideways');
  return { overflowing: overflowing, width: Math.round(cardBox.width), height: Math.round(cardBox.height) };
};
`;
