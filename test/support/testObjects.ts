// What every test, benchmark and demo object on an engine is made from and labelled with. One JSON file, so the
// scripts (plain node: scripts/lib/engine.js imports the image and sweeps the label) read the same two values.
import testObjects from './testObjects.json';

/** The image the tests run: made with `docker import` from busybox-static (images cannot be pulled here). */
export const TEST_IMAGE: string = testObjects.image;
/** Every object a test makes carries this label with its run's id; scripts/lib/engine.js sweeps them afterwards. */
export const TEST_LABEL: string = testObjects.label;
