/**
 * Stands in for inquirer inside the bundle. node-plop imports inquirer at load
 * time for its own prompts, which this tool never uses (it asks with
 * @clack/prompts before rendering), and inquirer is most of node-plop's start-up cost.
 */
const prompt = Object.assign(
  () => {
    throw new Error('node-plop prompts are not used by create-sound-backend');
  },
  { prompts: {} },
);

export default {
  prompt,
  registerPrompt() {},
};
