// Baseline for workerd cold starts: the same round trip with no library.
export default {
  async fetch() {
    return new Response("https://acme.gorgias.com/oauth/authorize?");
  },
};
