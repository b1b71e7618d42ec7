/** Programs that use arrow-npz as a user's module would: through its exported packages only. */
module io.arrownpz.examples {
  requires io.arrownpz.bridge;
}
