import type { Domain } from '../setting.js';

const MATH_SUBJECTS = [
  'Algebra',
  'Counting and Probability',
  'Geometry',
  'Number Theory',
  'Calculus',
  'Conic Sections',
  'Group Theory and Ring Theory',
  'Field Theory and Vector Spaces',
  'Differential Equations',
  'Linear Algebra',
  'Real Analysis',
  'Complex Analysis',
  'Combinatorics',
  'Topology',
  'Trigonometry',
  'Graph Theory',
  'Set Theory',
];

const WORD_PROBLEM_SUBJECTS = [
  'Polynomial GCD',
  'Probability and Number Theory',
  'Matrices',
  'Partial Derivatives',
  'Areas, Lengths, and Volumes',
  'Sinusoidal Functions',
  'Complex Numbers',
  'Multiplication',
  'Addition',
  'Subtraction',
  'Division',
  'Fractions',
  'Remainders',
  'Rounding',
  'Percentages',
  'Ratios',
  'Proportions',
  'Exponents and Logarithms',
];

/** The seven languages the official code prompts cover, in their order. */
export const CODE_PROMPT_LANGUAGES = ['Python', 'Java', 'C++', 'C', 'JavaScript', 'C#', 'PHP'] as const;

/**
 * One theme is drawn per instance-generation prompt (the official code's "input theme"),
 * to push generators away from rewriting the demos. The lists are the official ones (facts,
 * not wording): school and university mathematics plus word problems on arithmetic skills;
 * implementing and fixing code in seven languages; everyday and academic subjects.
 */
export const TOPICS: Readonly<Record<Domain, readonly string[]>> = {
  math: [...MATH_SUBJECTS, ...WORD_PROBLEM_SUBJECTS.map((s) => `Math Word Problems with ${s}`)],
  code: CODE_PROMPT_LANGUAGES.flatMap((l) => [`Implementing a ${l} Code`, `Fixing a ${l} Code`]),
  inst: [
    'Health',
    'Professional',
    'Linguistics',
    'Entertainment',
    'Technology',
    'Literature',
    'Implementing a Code',
    'Software Development',
    'History',
    'Exercise',
    'Language Learning',
    'Science',
    'Gaming',
    'Philosophy',
    'Social Studies',
    'Travel',
    'Art',
    'Sports',
    'Mathematics',
    'Social Interaction',
    'DIY Projects',
    'Cooking',
    'Technical Writing',
    'Recommendations',
    'Creative Writing',
    'How-To Style Question and Answers',
    'Factual Question Answering',
    'Puzzles and Logical Reasoning',
  ],
};
