/**
 * First words for instruction-following instance generation: one is drawn per prompt and
 * the new instruction is asked to start with it (or something close), as the official code
 * does with its list of openers, so that generated instructions do not all begin alike.
 * agora's own list of the same kind (imperatives, questions, requests, framings); a trailing
 * space marks a word that continues.
 */
export const FIRST_WORDS: readonly string[] = [
  // Imperatives
  'Write ', 'Explain ', 'Describe ', 'Summarize ', 'List ', 'Compare ', 'Contrast ', 'Analyze ',
  'Evaluate ', 'Design ', 'Implement ', 'Create ', 'Draft ', 'Compose ', 'Rewrite ', 'Translate ',
  'Edit ', 'Proofread ', 'Outline ', 'Plan ', 'Propose ', 'Suggest ', 'Recommend ', 'Identify ',
  'Classify ', 'Categorize ', 'Rank ', 'Estimate ', 'Calculate ', 'Compute ', 'Solve ', 'Prove that ',
  'Derive ', 'Show that ', 'Find ', 'Determine ', 'Convert ', 'Generate ', 'Brainstorm ', 'Critique ',
  'Review ', 'Debug ', 'Optimize ', 'Refactor ', 'Simplify ', 'Paraphrase ', 'Expand on ', 'Argue ',
  'Defend ', 'Justify ', 'Predict ', 'Illustrate ', 'Define ', 'Interpret ', 'Discuss ', 'Assess ',
  'Break down ', 'Walk me through ', 'Tell me ', 'Give me ', 'Teach me ', 'Help me ', 'Show me ',
  'Make ', 'Build ', 'Develop ', 'Construct ', 'Formulate ', 'Organize ', 'Prioritize ', 'Diagnose ',
  'Troubleshoot ', 'Research ', 'Investigate ', 'Examine ', 'Reflect on ', 'Role-play ', 'Act as ',
  'Pretend ', 'Imagine ', 'Roleplay as ',
  // Questions
  'What ', 'Why ', 'How ', 'When ', 'Where ', 'Who ', 'Which ', 'Whose ', 'Is it ', 'Are there ',
  'Can you ', 'Could you ', 'Would you ', 'Will ', 'Should I ', 'Do you ', 'Does ', 'Did ',
  'Have you ', 'Has ', 'What if ', 'How many ', 'How much ', 'How can I ', 'How do ', 'In what way ',
  'To what extent ', 'Is there ', 'What are ', 'What is the difference between ',
  // Requests and framings
  'I need ', 'I want ', "I'm ", 'I have ', 'I am trying to ', 'I would like ', 'My ', 'We ', 'Our ',
  'Please ', 'Given the following ', 'Given ', 'Suppose ', 'Assume ', 'Consider ', 'Based on ',
  'Using ', 'In ', 'For ', 'As a ', 'If ', 'Let ', 'Here is ', 'Below is ', 'The following ',
  'According to ', 'From the perspective of ', 'In the context of ', 'Without using ', 'Starting from ',
  'After ', 'Before ', 'While ', 'Although ', 'Despite ', 'Take ', 'Choose ', 'Select ', 'Pick ',
  'Fill in ', 'Complete ', 'Continue ', 'Finish ', 'Respond to ', 'Reply to ', 'Answer ',
];
