/**
 * File names of the product images that the API ships in
 * apps/api/assets/products and serves under /api/images/products/. The
 * storefront image runs without the API's files, so the names are listed
 * here. test/unit/product-images.test.ts fails when the folder and this
 * list differ.
 */
export const PRODUCT_IMAGES: readonly string[] = [
  '13-inch-ultrabook.svg',
  '14-inch-business-laptop.svg',
  '14-inch-oled-laptop.svg',
  '15-inch-workstation-laptop.svg',
  '2-in-1-convertible-laptop.svg',
  '22-inch-vga-monitor.svg',
  '24-inch-office-monitor.svg',
  '27-inch-4k-monitor.svg',
  '32-inch-design-monitor.svg',
  '34-inch-ultrawide-monitor.svg',
  'bamboo-cutting-board-set.svg',
  'bone-conduction-headphones.svg',
  'bookshelf-speakers-pair.svg',
  'burr-coffee-grinder.svg',
  'camping-stove-kit.svg',
  'canvas-bell-tent.svg',
  'cast-iron-skillet-26-cm.svg',
  'chef-s-knife-20-cm.svg',
  'coffee-at-home.svg',
  'coffee-scale-with-timer.svg',
  'cold-brew-maker.svg',
  'cycling-helmet-mips.svg',
  'designing-data-intensive-systems.svg',
  'desktop-computer-speakers.svg',
  'down-sleeping-bag-5-c.svg',
  'enamelled-dutch-oven-5-l.svg',
  'espresso-machine.svg',
  'folding-bike-lock.svg',
  'french-press-1-litre.svg',
  'gaming-headset-with-boom-mic.svg',
  'gaming-laptop-16-inch.svg',
  'gooseneck-electric-kettle.svg',
  'inflatable-sleeping-pad.svg',
  'kids-volume-limited-headphones.svg',
  'large-desk-mat.svg',
  'led-headlamp-400-lumen.svg',
  'low-profile-wireless-keyboard.svg',
  'mechanical-keyboard-tenkeyless.svg',
  'mini-floor-pump.svg',
  'monitor-arm-dual.svg',
  'multi-tool-with-chain-breaker.svg',
  'non-stick-frying-pan-28-cm.svg',
  'one-pot-cooking.svg',
  'open-back-reference-headphones.svg',
  'portable-bluetooth-speaker.svg',
  'portable-usb-c-monitor.svg',
  'postgresql-in-production.svg',
  'pour-over-coffee-set.svg',
  'practical-typescript.svg',
  'precision-gaming-mouse.svg',
  'rechargeable-bike-light-set.svg',
  'retro-radio-speaker.svg',
  'secure-web-applications.svg',
  'smart-home-speaker.svg',
  'soundbar-with-subwoofer.svg',
  'split-ergonomic-keyboard.svg',
  'sport-neckband-earphones.svg',
  'stainless-steel-saucepan-set.svg',
  'student-chromebook.svg',
  'studio-monitor-headphones.svg',
  'the-bread-book.svg',
  'the-pragmatic-test-suite.svg',
  'true-wireless-earbuds.svg',
  'two-person-backpacking-tent.svg',
  'water-filter-bottle.svg',
  'waterproof-pannier-bag.svg',
  'waterproof-shower-speaker.svg',
  'weeknight-vegetarian.svg',
  'wireless-ergonomic-mouse.svg',
  'wireless-noise-cancelling-headphones.svg',
];

/** URL path under which the storefront forwards a product image to the API. */
export function productImagePath(file: string): string {
  return `/api/images/products/${encodeURIComponent(file)}`;
}

/** Most images a product may have; the API's admin schema has the same bound. */
export const MAX_PRODUCT_IMAGES = 10;
